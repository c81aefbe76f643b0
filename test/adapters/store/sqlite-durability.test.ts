// Which SQLite commits fsync (issue 13): a batch holding anything not derived — a delivery at
// intake above all — commits with synchronous = FULL; a batch of derived writes only (processing
// results, sent marks: written again if lost) commits with NORMAL, made durable by the next FULL one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, expect, it, vi } from 'vitest';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('fsyncs a batch with a durable write; a batch of derived writes only waits for the next fsync', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-sync-'));
  dirs.push(dir);
  const db = openSqliteDb(join(dir, 'm.db'));
  await db.run('CREATE TABLE t (x INTEGER)');
  // Per connection (another test file's store may commit meanwhile): the mode each COMMIT ran in.
  const commits = new Map<DatabaseSync, string[]>();
  const mode = new Map<DatabaseSync, string>();
  const exec = DatabaseSync.prototype.exec;
  vi.spyOn(DatabaseSync.prototype, 'exec').mockImplementation(function (this: DatabaseSync, sql: string) {
    const m = /PRAGMA synchronous = (\w+)/.exec(sql);
    if (m) mode.set(this, m[1]!);
    if (sql === 'COMMIT') commits.set(this, [...(commits.get(this) ?? []), mode.get(this) ?? 'FULL']);
    return exec.call(this, sql);
  });
  await db.tx((x) => x.run('INSERT INTO t VALUES (1)'), { derived: true });
  await db.run('INSERT INTO t VALUES (2)'); // a delivery at intake
  // Queued together: one batch, and one non-derived job makes all of it durable.
  await Promise.all([db.tx((x) => x.run('INSERT INTO t VALUES (3)'), { derived: true }), db.run('INSERT INTO t VALUES (4)')]);
  await db.tx((x) => x.run('INSERT INTO t VALUES (5)'), { derived: true });
  expect([...commits.values()]).toContainEqual(['NORMAL', 'FULL', 'FULL', 'NORMAL']);
  expect(await db.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 5 }]);
  await db.close();
});

it('derived commits with no fsync\'d commit after them are made durable by an fsync of the WAL within 200 ms', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-sync-'));
  dirs.push(dir);
  const file = join(dir, 'm.db');
  const db = openSqliteDb(file);
  await db.run('CREATE TABLE t (x INTEGER)');
  // fsyncs of this database's WAL only (another test file's store may sync its own meanwhile).
  const synced: number[] = [];
  const walFds = new Set<number>();
  const open = fs.openSync;
  const fsync = fs.fsyncSync;
  vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    const fd = (open as (...a: unknown[]) => number)(p, ...rest);
    if (String(p) === `${file}-wal`) walFds.add(fd);
    return fd;
  }) as typeof fs.openSync);
  vi.spyOn(fs, 'fsyncSync').mockImplementation((fd) => (walFds.has(fd) && synced.push(performance.now()), fsync(fd)));
  syncBuiltinESMExports();
  const t0 = performance.now();
  await db.tx((x) => x.run('INSERT INTO t VALUES (1)'), { derived: true });
  await db.tx((x) => x.run('INSERT INTO t VALUES (2)'), { derived: true });
  expect(synced).toEqual([]);
  await vi.waitFor(() => expect(synced).toHaveLength(1), { timeout: 2000, interval: 20 });
  expect(synced[0]! - t0).toBeLessThan(1000);
  // A fsync'd commit in between makes the later sync unnecessary.
  await db.tx((x) => x.run('INSERT INTO t VALUES (3)'), { derived: true });
  await db.run('INSERT INTO t VALUES (4)');
  await new Promise((r) => setTimeout(r, 300)); // the 200 ms sync would have run by now
  expect(synced).toHaveLength(1);
  await db.close();
});
