// WAL checkpoints from a connection of their own (issue 13): the writer, told checkpoints run
// elsewhere, keeps its own only as a safety net; a PASSIVE checkpoint from another connection
// copies the whole WAL while the writer goes on, and the writer's next commit starts the WAL over.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';
import { EXTERNAL_AUTOCHECKPOINT_PAGES, startWalCheckpoints } from '../../../src/adapters/store/wal-checkpoints.ts';

it('the writer leaves checkpoints to another connection, which copies the WAL into the database file', async ({ onTestFinished }) => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-ckpt-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'm.db');
  const db = openSqliteDb(path, { checkpoints: 'external' });
  onTestFinished(() => db.close());
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

it('a writer that checkpoints itself keeps SQLite\'s automatic checkpoint at 10,000 pages', async ({ onTestFinished }) => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-ckpt-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const db = openSqliteDb(join(dir, 'm.db'));
  onTestFinished(() => db.close());
  expect(await db.all('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 10_000 }]);
});
