// Every job of a group commit runs in its own SAVEPOINT, and so does the batch's follow-up (the
// processing of every delivery in it). A savepoint's statement journal holds the first version of
// each page it changes; past 64 KiB SQLite spills it to a temporary file, a write(2) per page, which
// was half of every insert's time under load (issue 13). The records connection keeps it in memory.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { readdirSync, readlinkSync } from 'node:fs';
import { openTempSqlite } from '../../helpers/sqlite-file.ts';

/** Files this process holds open that were deleted: where SQLite's temporary files live. */
const deletedFiles = () =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.endsWith('(deleted)') ? [target] : [];
    } catch {
      return []; // closed meanwhile
    }
  });

it('a job that changes hundreds of pages keeps its statement journal in memory, not in a temporary file', async ({ onTestFinished }) => {
  const { db } = openTempSqlite(onTestFinished);
  await db.run('CREATE TABLE t (k TEXT UNIQUE, v TEXT)');
  await db.tx(async (x) => {
    for (let i = 0; i < 2000; i++) await x.run('INSERT INTO t VALUES (?, ?)', [randomUUID(), 'x'.repeat(300)]);
  });
  const before = deletedFiles();
  let during: string[] = [];
  await db.tx(async (x) => {
    // Random keys: each insert changes another leaf of the index, ~200 pages (800 KiB) in all.
    for (let i = 0; i < 200; i++) await x.run('INSERT INTO t VALUES (?, ?)', [randomUUID(), 'y'.repeat(100)]);
    during = deletedFiles();
  });
  expect(during.filter((f) => !before.includes(f))).toEqual([]);
  expect(await db.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 2200 }]);
});
