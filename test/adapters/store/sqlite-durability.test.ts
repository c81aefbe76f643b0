// When SQLite writes are durable (issue 13): every COMMIT writes the WAL without an fsync, and an
// fsync of the WAL runs on libuv's pool while the next batch is built. A batch holding anything not
// derived — a delivery at intake above all — is answered only once an fsync that began after its
// COMMIT has finished; a batch of derived writes only (processing results, sent marks: written again
// if lost) is answered at once and made durable by the next fsync, at most 200 ms later. Reads may
// see a commit before its fsync ends; the sender's reads wait for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { afterEach, expect, it, vi } from 'vitest';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';
import { createSqlStore } from '../../../src/adapters/store/sql-store.ts';
import { delivery, notice, run, toRoom } from './backends.ts';
import { windowStore } from '../../../src/pipeline/windows.ts';
import { releaseDue } from '../../../src/pipeline/release.ts';
import { kitRuntime } from '../../pipeline/pipeline-kit.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A database file in a folder of its own, removed after the test. */
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-sync-'));
  dirs.push(dir);
  return join(dir, 'm.db');
}

/** fsyncs of this database's WAL only (another test file's store may sync its own meanwhile); held until released when `hold`. */
function watchWalSyncs(file: string, holding: boolean) {
  const state = { hold: holding };
  const walFds = new Set<number>();
  const started: number[] = [];
  const held: Array<() => void> = [];
  const open = fs.openSync;
  const fsync = fs.fdatasync;
  vi.spyOn(fs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    const fd = (open as (...a: unknown[]) => number)(p, ...rest);
    if (String(p) === `${file}-wal`) walFds.add(fd);
    return fd;
  }) as typeof fs.openSync);
  vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
    if (!walFds.has(fd)) return fsync(fd, cb);
    started.push(performance.now());
    if (state.hold) held.push(() => fsync(fd, cb));
    else fsync(fd, cb);
  }) as typeof fs.fdatasync);
  syncBuiltinESMExports();
  return Object.assign(state, { started, release: () => held.shift()!() });
}

function tracked<T>(p: Promise<T>) {
  const t = { settled: false, promise: p };
  p.then(() => (t.settled = true), () => (t.settled = true));
  return t;
}

const settle = () => new Promise((r) => setImmediate(r));

it('answers a durable batch only after an fsync that began after its COMMIT; a derived batch at once', async () => {
  const file = dbFile();
  const db = openSqliteDb(file);
  await db.run('CREATE TABLE t (x INTEGER)'); // before the watch: its own fsync runs for real
  const wal = watchWalSyncs(file, true);

  const a = tracked(db.run('INSERT INTO t VALUES (1)')); // a delivery at intake
  await vi.waitFor(() => expect(wal.started).toHaveLength(1));
  await settle();
  expect(a.settled).toBe(false); // committed, not yet durable: no answer

  // Committed while that fsync runs: it does not cover this one, the next fsync does.
  const b = tracked(db.run('INSERT INTO t VALUES (2)'));
  await vi.waitFor(async () => expect(await db.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 2 }]));
  wal.release();
  await a.promise;
  await settle();
  expect(b.settled).toBe(false);
  await vi.waitFor(() => expect(wal.started).toHaveLength(2));
  // A batch that writes nothing (a duplicate answered) waits too: what it saw is not durable yet.
  const c = tracked(db.run('UPDATE t SET x = x WHERE x = -1'));
  // Derived writes are answered without waiting for any fsync.
  await db.tx((x) => x.run('INSERT INTO t VALUES (3)'), { derived: true });
  await settle();
  expect([b.settled, c.settled]).toEqual([false, false]);
  wal.release();
  // That fsync began after every commit b and c saw: both are answered.
  await Promise.all([b.promise, c.promise]);
  expect(await db.all('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 3 }]);
  // The derived write gets its fsync from the 200 ms timer; close waits for it.
  await vi.waitFor(() => expect(wal.started).toHaveLength(3), { timeout: 2000, interval: 20 });
  const closing = tracked(db.close());
  await settle();
  expect(closing.settled).toBe(false);
  wal.release();
  await closing.promise;
});

it('derived commits with no durable commit after them are made durable by an fsync of the WAL within 200 ms', async () => {
  const file = dbFile();
  const db = openSqliteDb(file);
  await db.run('CREATE TABLE t (x INTEGER)');
  const wal = watchWalSyncs(file, false);
  const t0 = performance.now();
  await db.tx((x) => x.run('INSERT INTO t VALUES (1)'), { derived: true });
  await db.tx((x) => x.run('INSERT INTO t VALUES (2)'), { derived: true });
  expect(wal.started).toEqual([]);
  await vi.waitFor(() => expect(wal.started).toHaveLength(1), { timeout: 2000, interval: 20 });
  expect(wal.started[0]! - t0).toBeLessThan(1000);
  // A durable commit in between makes the later sync unnecessary.
  await db.tx((x) => x.run('INSERT INTO t VALUES (3)'), { derived: true });
  await db.run('INSERT INTO t VALUES (4)');
  expect(wal.started).toHaveLength(2);
  await new Promise((r) => setTimeout(r, 300)); // the 200 ms sync would have run by now
  expect(wal.started).toHaveLength(2);
  await db.close();
});

it('the sender reads a notice only once the commit that holds it is durable', async () => {
  const file = dbFile();
  const wal = watchWalSyncs(file, false); // before the first commit opens the WAL
  const store = createSqlStore(openSqliteDb(file));
  await store.migrate();
  const { seq } = (await store.insertDelivery(delivery('d1'))) as { seq: number };
  wal.hold = true;
  const before = wal.started.length;
  const processed = tracked(store.commitProcessed({ seq, run: run('d1'), notices: [notice('d1')], calls: [] }));
  await vi.waitFor(() => expect(wal.started).toHaveLength(before + 1)); // committed, its fsync running
  const head = tracked(store.headNotices(toRoom('news'), 10));
  await settle();
  await settle();
  expect([processed.settled, head.settled]).toEqual([false, false]); // the row is visible, not yet durable
  wal.release();
  expect((await head.promise).map((n) => n.deliveryId)).toEqual(['d1']);
  await processed.promise;
  await store.close();
});

it('a failed fsync breaks the database: that batch and every later one are refused, even if a later fsync would succeed', async () => {
  const file = dbFile();
  const db = openSqliteDb(file);
  await db.run('CREATE TABLE t (x INTEGER)');
  await db.run('INSERT INTO t VALUES (1)');
  const real = fs.fdatasync;
  let syncs = 0;
  let fail = true;
  vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
    syncs++;
    if (fail) return cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    return real(fd, cb);
  }) as typeof fs.fdatasync);
  syncBuiltinESMExports();
  await expect(db.run('INSERT INTO t VALUES (2)')).rejects.toThrow(/could not be made durable \(fsync failed: EIO/);
  fail = false; // the kernel dropped the pages it could not write: the next fsync would "succeed"
  await new Promise((r) => setTimeout(r, 10)); // the failed sync has ended
  await expect(db.run('INSERT INTO t VALUES (3)')).rejects.toThrow(/restart the monitor/);
  await expect(db.durable!()).rejects.toThrow(/restart the monitor/);
  expect(syncs).toBe(1); // nothing tried to call anything durable after the failure
  await db.close();
});

it('a released digest\'s window is remembered inside its transaction, before its fsync ends', async () => {
  const file = dbFile();
  const wal = watchWalSyncs(file, false);
  const store = createSqlStore(openSqliteDb(file));
  await store.migrate();
  const { seq } = (await store.insertDelivery(delivery('h1'))) as { seq: number };
  const item = JSON.stringify({ kind: 'push', repo: { full_name: 'dataforge/api' } });
  await store.commitProcessed({ seq, run: run('h1'), notices: [{ ...notice('h1', 'news', 'held'), item }], calls: [] });
  const windows = windowStore(store);
  expect(await windows.get('dataforge/api', 'news')).toBeNull();
  wal.hold = true;
  const before = wal.started.length;
  const runtime = await kitRuntime();
  const released = tracked(releaseDue({ store, windows, runtime, now: () => 10_000 }));
  await vi.waitFor(() => expect(wal.started).toHaveLength(before + 1)); // its transaction committed, the fsync held
  expect(released.settled).toBe(false);
  expect(await windows.get('dataforge/api', 'news')).toMatchObject({ count: 1, until: 10_000 + runtime.get().config.rateLimit.windowMs });
  wal.release();
  expect(await released.promise).toEqual(['news']);
  await store.close();
});
