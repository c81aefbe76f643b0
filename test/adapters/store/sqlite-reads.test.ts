// SQLite reads outside a transaction (issue 13): they go to a read-only connection, so a read
// answers while a group commit is open — with the last committed state, never a batch's
// uncommitted rows — and readiness (`ping`) still goes through the write path.
import { expect, it } from 'vitest';
import { openTempSqlite } from '../../helpers/sqlite-file.ts';

it('a read answers while a write transaction is open, and sees only what is committed', async ({ onTestFinished }) => {
  const { db } = openTempSqlite(onTestFinished);
  await db.run('CREATE TABLE t (x INTEGER)');
  await db.run('INSERT INTO t VALUES (1)');
  let finish!: () => void;
  const held = new Promise<void>((r) => (finish = r));
  let inserted!: () => void;
  const insertedP = new Promise<void>((r) => (inserted = r));
  const writing = db.tx(async (x) => {
    await x.run('INSERT INTO t VALUES (2)');
    inserted();
    await held; // the batch stays open
  });
  await insertedP;
  // Answered now (before the batch commits), from the last commit.
  expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }]);
  finish();
  await writing;
  expect(await db.all('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
});
