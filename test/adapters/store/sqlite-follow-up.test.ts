// A group-commit batch's follow-up (issue 13): the SQLite processing thread processes a delivery in
// the transaction that stores it. The follow-up runs after the batch's jobs, in the same commit, in a
// savepoint of its own, and hears the outcome before the jobs' callers do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqliteDb, type SqliteDb } from '../../../src/adapters/store/sqlite-db.ts';

let dir: string;
let db: SqliteDb;
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open() {
  dir = mkdtempSync(join(tmpdir(), 'monitor-follow-'));
  db = openSqliteDb(join(dir, 'm.db'));
  await db.run('CREATE TABLE t (x INTEGER)');
  await db.run('CREATE TABLE done (x INTEGER)');
}

it('runs once per batch that asks for it, after its jobs and in the same commit; its outcome is heard first', async () => {
  await open();
  const order: string[] = [];
  let runs = 0;
  db.setFollowUp({
    run: async (x) => {
      runs++;
      // It sees the batch's uncommitted rows, and writes in the same transaction.
      await x.run('INSERT INTO done SELECT x FROM t WHERE x NOT IN (SELECT x FROM done)');
      return Number((await x.all('SELECT COUNT(*) AS n FROM done'))[0]!.n);
    },
    settled: (r) => order.push(`settled ${JSON.stringify(r)}`),
  });
  const jobs = [1, 2, 3].map((n) => db.tx((x) => x.run(`INSERT INTO t VALUES (${n})`), { followUp: true }).then(() => order.push(`job ${n}`)));
  await Promise.all(jobs);
  expect(runs).toBe(1);
  expect(order).toEqual(['settled {"ok":true,"value":3}', 'job 1', 'job 2', 'job 3']);
  expect(await db.all('SELECT x FROM done ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
  // A batch that does not ask for it does not run it.
  await db.run('INSERT INTO t VALUES (4)');
  expect(runs).toBe(1);
});

it('a follow-up that fails rolls back alone: the jobs commit and it hears the error', async () => {
  await open();
  const heard: unknown[] = [];
  db.setFollowUp({
    run: async (x) => {
      await x.run('INSERT INTO done VALUES (99)');
      throw new Error('processing broke');
    },
    settled: (r) => heard.push(r),
  });
  await db.tx((x) => x.run('INSERT INTO t VALUES (1)'), { followUp: true });
  expect(heard).toEqual([{ ok: false, error: new Error('processing broke') }]);
  expect(await db.all('SELECT x FROM t')).toEqual([{ x: 1 }]);
  expect(await db.all('SELECT x FROM done')).toEqual([]);
});
