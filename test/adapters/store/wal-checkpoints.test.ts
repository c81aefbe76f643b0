// WAL checkpoints from a connection of their own (issue 13): the writer, told checkpoints run
// elsewhere, keeps its own only as a safety net; a PASSIVE checkpoint from another connection
// copies the whole WAL while the writer goes on, and the writer's next commit starts the WAL over.
import { statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { openTempSqlite, tempSqlitePath } from '../../helpers/sqlite-file.ts';
import { Worker } from 'node:worker_threads';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';
import { EXTERNAL_AUTOCHECKPOINT_PAGES, isWalCheckpointRequest, startWalCheckpoints, walCheckpointRequest } from '../../../src/adapters/store/wal-checkpoints.ts';

it('the writer leaves checkpoints to another connection, which copies the WAL into the database file', async ({ onTestFinished }) => {
  const { path, db } = openTempSqlite(onTestFinished, { checkpoints: 'external' });
  // Not a SELECT: it runs on the writer connection.
  expect(await db.all('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: EXTERNAL_AUTOCHECKPOINT_PAGES }]);
  await db.run('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
  for (let i = 0; i < 20; i++) await db.tx(async (x) => void (await x.run('INSERT INTO t VALUES (?, ?)', [randomUUID(), 'v'.repeat(2000)])));
  const fileBefore = statSync(path).size;

  const checkpoints = startWalCheckpoints(path, { intervalMs: 60_000 });
  onTestFinished(() => checkpoints.stop());
  const first = checkpoints.once()!;
  expect(first.log).toBeGreaterThan(20); // a frame per page per commit at least
  expect(first.checkpointed).toBe(first.log); // the whole WAL, the writer idle
  expect(statSync(path).size).toBeGreaterThan(fileBefore + 20 * 2000);

  // The writer's next commit starts the WAL over: it holds only that commit's frames.
  await db.tx(async (x) => void (await x.run('INSERT INTO t VALUES (?, ?)', [randomUUID(), 'w'])));
  const next = checkpoints.once()!;
  expect(next.log).toBeLessThan(first.log);
  expect(await db.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 21 }]);
});

it('past the restart size, a tick finishes the copy with a RESTART, and the WAL starts over at the next commit', async ({ onTestFinished }) => {
  const { path, db } = openTempSqlite(onTestFinished, { checkpoints: 'external' });
  await db.run('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
  const checkpoints = startWalCheckpoints(path, { intervalMs: 60_000, restartPages: 100 });
  onTestFinished(() => checkpoints.stop());
  const insert = () => db.tx(async (x) => void (await x.run('INSERT INTO t VALUES (?, ?)', [randomUUID(), 'v'.repeat(2000)])));
  for (let i = 0; i < 10; i++) await insert();
  // Below the restart size: a PASSIVE copy only.
  expect(checkpoints.once()).toMatchObject({ restarted: false });
  for (let i = 0; i < 40; i++) await insert();
  // Past it: the copy is finished under the write lock and the WAL starts over at the next commit.
  const big = checkpoints.once()!;
  expect(big).toMatchObject({ restarted: true });
  expect(big.checkpointed).toBe(big.log);
  await insert();
  expect(checkpoints.once()!.log).toBeLessThan(big.log);
  expect(await db.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 51 }]);
});

it('keeps the WAL bounded while another thread commits without pause (PASSIVE copies alone never let it start over)', async ({ onTestFinished }) => {
  const path = tempSqlitePath(onTestFinished);
  const setup = openSqliteDb(path, { checkpoints: 'external' });
  await setup.run('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
  await setup.close();
  // The writer: a commit every 2 ms on its own thread, waiting on a timer while a RESTART holds the lock.
  const writer = new Worker(
    `const { DatabaseSync } = require('node:sqlite');
     const db = new DatabaseSync(${JSON.stringify(path)});
     db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0; PRAGMA wal_autocheckpoint = 0');
     const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
     const loop = () => {
       try { db.exec('BEGIN IMMEDIATE'); } catch { return void setTimeout(loop, 1); }
       for (let i = 0; i < 3; i++) ins.run(crypto.randomUUID(), 'v'.repeat(400));
       db.exec('COMMIT');
       setTimeout(loop, 2);
     };
     loop();`,
    { eval: true },
  );
  onTestFinished(() => void writer.terminate());
  const checkpoints = startWalCheckpoints(path, { intervalMs: 100, restartPages: 300 });
  onTestFinished(() => checkpoints.stop());
  const walPages = () => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  let largest = 0;
  for (const end = Date.now() + 3000; Date.now() < end; ) {
    await new Promise((r) => setTimeout(r, 100));
    largest = Math.max(largest, walPages());
  }
  // 3 s of commits write thousands of frames; restarted, the file never holds much more than the restart size.
  expect(largest / (4096 + 24)).toBeLessThan(3 * 300);
});

it('names its request to the main thread in one place', () => {
  expect(isWalCheckpointRequest(walCheckpointRequest('/srv/monitor/data/monitor.db'))).toBe(true);
  for (const other of [null, { signal: 'SIGHUP' }, { type: 'wal-checkpoints' }, { type: 'log', path: '/x' }]) expect(isWalCheckpointRequest(other)).toBe(false);
});

it('a writer that checkpoints itself keeps SQLite\'s automatic checkpoint at 10,000 pages', async ({ onTestFinished }) => {
  const { db } = openTempSqlite(onTestFinished);
  expect(await db.all('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 10_000 }]);
});
