// SqlDb on node:sqlite, with group commit. node:sqlite is synchronous, so every statement runs on
// the thread that owns the connection (the processing thread). Group commit: every statement and
// transaction queued while a batch runs joins the next batch — one BEGIN IMMEDIATE … COMMIT — each
// job inside its own SAVEPOINT (a failing job rolls back alone). A batch is answered only once an
// fsync of the WAL that began after its COMMIT has finished (a 202 means the delivery survives a
// crash or power loss); that fsync runs on libuv's pool, shared by every commit made meanwhile, while
// this thread builds the next batch. Another writer holding the lock never blocks the thread: BEGIN
// is retried on timers up to `lockTimeoutMs`, then that batch is rejected (StoreUnavailableError:
// deliveries get 503) and the flusher goes on with the next one.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FollowUp, Param, Row, SqlDb } from './db.ts';
import { StoreUnavailableError } from './store-unavailable.ts';
import { walSync } from './wal-sync.ts';
import { EXTERNAL_AUTOCHECKPOINT_PAGES } from './wal-checkpoints.ts';

interface Job {
  fn: (x: SqlDb) => Promise<unknown>;
  derived: boolean;
  followUp: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export { StoreUnavailableError };

export interface SqliteOptions {
  /** How long a batch waits for another writer's lock before it is refused (default 2 s). */
  lockTimeoutMs?: number;
  /** 'external': another thread checkpoints the WAL (wal-checkpoints.ts); this connection only
   * does past EXTERNAL_AUTOCHECKPOINT_PAGES, should those stop. Default: this connection, inside
   * the COMMIT that crosses 10,000 pages. */
  checkpoints?: 'own' | 'external';
}

const isBusy = (e: unknown) => /database is (locked|busy)|SQLITE_BUSY/i.test(String((e as Error)?.message ?? e)) || (e as { errcode?: number })?.errcode === 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The SQLite SqlDb, with the follow-up its batches may run (TxOptions.followUp). */
export interface SqliteDb extends SqlDb {
  setFollowUp<T>(f: FollowUp<T> | null): void;
}

export function openSqliteDb(path: string, opts: SqliteOptions = {}): SqliteDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    return sqlDbOn(path, db, opts);
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The SqlDb over an open writer connection: group commit, a read-only reader, the fsync policy. */
function sqlDbOn(path: string, db: DatabaseSync, opts: SqliteOptions): SqliteDb {
  // busy_timeout 0: a lock is waited for on timers below, never by blocking the event loop. A WAL
  // checkpoint (copying pages back and an fsync of the database file, inside some COMMIT) every
  // ~40 MB of WAL rather than SQLite's default ~4 MB. temp_store MEMORY: every job, and a batch's
  // follow-up, runs in its own SAVEPOINT, whose statement journal keeps the first version of each
  // page it changes; past 64 KiB SQLite spills it to a temporary file, a write(2) per page (it was
  // half of every insert's time under load). In memory it is a copy, freed at RELEASE.
  const autocheckpoint = opts.checkpoints === 'external' ? EXTERNAL_AUTOCHECKPOINT_PAGES : 10_000;
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 0; PRAGMA wal_autocheckpoint = ${autocheckpoint}; PRAGMA temp_store = MEMORY;`);
  const lockTimeoutMs = opts.lockTimeoutMs ?? 2000;
  // The file this connection writes to. If it is deleted (or replaced) under us, a COMMIT would still
  // "succeed" into an unlinked inode: every batch checks first and refuses instead.
  const fileId = (st: { dev: number; ino: number } | undefined) => (st ? `${st.dev}:${st.ino}` : null);
  const opened = path === ':memory:' ? null : fileId(statSync(path));
  const checkFile = () => {
    if (opened === null) return;
    const now = fileId(statSync(path, { throwIfNoEntry: false }));
    if (now !== opened) throw new StoreUnavailableError(`the records database file ${path} was ${now === null ? 'deleted' : 'replaced'} while open; restart the monitor to open it again`);
  };
  const cache = new Map<string, StatementSync>();
  const prep = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // Reads outside a transaction go to a second, read-only connection: WAL lets it read the last
  // commit while a batch is open, so a read never waits for (or joins) a group commit, and never
  // sees a batch's uncommitted rows. A :memory: database has one connection only.
  const reader = path === ':memory:' ? null : new DatabaseSync(path, { readOnly: true });
  const readCache = new Map<string, StatementSync>();
  const read = (sql: string, p: Param[]): Row[] => {
    if (closed) throw new Error('the records database is closed');
    checkFile();
    let s = readCache.get(sql);
    if (!s) readCache.set(sql, (s = reader!.prepare(sql)));
    try {
      return s.all(...p) as Row[];
    } catch (e) {
      throw isBusy(e) ? new StoreUnavailableError(`the records database cannot be read: ${(e as Error).message}`, { cause: e }) : e;
    }
  };
  const isRead = (sql: string) => /^\s*SELECT\b/i.test(sql);
  // Savepoint statements are prepared once (exec would parse them for every job).
  const sp = {
    job: db.prepare('SAVEPOINT job'), release: db.prepare('RELEASE job'), rollback: db.prepare('ROLLBACK TO job'),
  };
  // What a job sees: statements run directly; a nested tx is a nested savepoint.
  const direct: SqlDb = {
    dialect: 'sqlite',
    all: async (sql, p = []) => prep(sql).all(...(p as Param[])) as Row[],
    run: async (sql, p = []) => Number(prep(sql).run(...(p as Param[])).changes),
    tx: async (fn) => {
      db.exec('SAVEPOINT nested');
      try {
        const r = await fn(direct);
        db.exec('RELEASE nested');
        return r;
      } catch (e) {
        db.exec('ROLLBACK TO nested');
        db.exec('RELEASE nested');
        throw e;
      }
    },
    close: async () => undefined,
  };
  let queue: Job[] = [];
  let followUp: FollowUp | null = null;
  /** The follow-up of the batch being run, until it is settled (a broken connection settles it below). */
  let following: FollowUp | null = null;
  let flushing: Promise<void> | null = null;
  let closed = false;

  /** BEGIN IMMEDIATE, waiting on timers (1, 2, 4 … 50 ms) while another writer holds the lock. */
  const begin = async () => {
    const broken = wal.broken();
    if (broken) throw broken;
    checkFile();
    const deadline = performance.now() + lockTimeoutMs;
    for (let wait = 1; ; wait = Math.min(50, wait * 2)) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (e) {
        if (!isBusy(e)) throw new StoreUnavailableError(`the records database cannot start a transaction: ${(e as Error).message}`, { cause: e });
        if (performance.now() >= deadline) throw new StoreUnavailableError(`the records database is locked by another writer (waited ${lockTimeoutMs} ms)`, { cause: e });
        await sleep(wait);
      }
    }
  };
  // Durability without blocking the thread (wal-sync.ts): a batch that is not all derived is answered
  // only once an fsync that began after its COMMIT has finished, so a 202 still means the delivery
  // survives a power cut, and the thread builds the next batch meanwhile.
  const wal = walSync(path);
  const durable = () => wal.durable();
  // A batch that changed nothing (a transaction of reads, an update that matched no row) has nothing to make durable.
  const totalChanges = db.prepare('SELECT total_changes() AS n');
  const changes = () => Number((totalChanges.get() as { n: number }).n);
  /** Tells the follow-up how its batch ended; what it does with that never keeps the jobs from their answers. */
  const settle = (f: FollowUp, r: Parameters<FollowUp['settled']>[0]) => {
    try {
      f.settled(r);
    } catch (e) {
      console.error('monitor: a follow-up failed after its batch', e);
    }
  };
  const runBatch = async (batch: Job[]) => {
    const changedBefore = changes();
    try {
      await begin();
    } catch (e) {
      for (const j of batch) j.reject(e);
      return;
    }
    const out: Array<{ ok: boolean; v: unknown }> = [];
    const inSavepoint = async (fn: (x: SqlDb) => Promise<unknown>) => {
      sp.job.run();
      try {
        const v = await fn(direct);
        sp.release.run();
        return { ok: true, v };
      } catch (e) {
        sp.rollback.run();
        sp.release.run();
        return { ok: false, v: e };
      }
    };
    for (const j of batch) out.push(await inSavepoint(j.fn));
    // The follow-up of this batch (once, after every job), committed with it.
    // `following` is set once run is entered: the database settles exactly the runs that began.
    const follow = followUp && batch.some((j) => j.followUp) ? followUp : null;
    const followed = follow ? await inSavepoint((x) => ((following = follow), follow.run(x))) : null;
    following = null;
    const derived = batch.every((j) => j.derived);
    try {
      db.exec('COMMIT');
      if (changes() !== changedBefore) wal.committed(derived);
    } catch (e) {
      try {
        db.exec('ROLLBACK');
      } catch {
        /* already rolled back */
      }
      const err = new StoreUnavailableError(`the records database could not commit: ${(e as Error).message}`, { cause: e });
      if (followed) settle(follow!, { ok: false, error: err });
      for (const j of batch) j.reject(err);
      return;
    }
    const answer = () => {
      // The follow-up hears first, so what it processed is announced before the jobs' callers go on.
      if (followed) settle(follow!, followed.ok ? { ok: true, value: followed.v } : { ok: false, error: followed.v });
      batch.forEach((j, i) => (out[i]!.ok ? j.resolve(out[i]!.v) : j.reject(out[i]!.v)));
    };
    // Durable first (even a batch that wrote nothing: a duplicate it answered may not be durable yet);
    // meanwhile the flusher builds the next batch.
    if (derived) answer();
    else
      durable().then(answer, (err) => {
        if (followed) settle(follow!, { ok: false, error: err });
        for (const j of batch) j.reject(err);
      });
  };
  const flush = async () => {
    try {
      while (queue.length) {
        const batch = queue;
        queue = [];
        try {
          await runBatch(batch);
        } catch (e) {
          // A savepoint statement failed (the connection is broken): this batch fails, the next one tries again.
          try {
            db.exec('ROLLBACK');
          } catch {
            /* no transaction open */
          }
          const err = new StoreUnavailableError(`the records database failed: ${(e as Error).message}`, { cause: e });
          if (following) settle(following, { ok: false, error: err });
          following = null;
          for (const j of batch) j.reject(err);
        }
        // Let the event loop read more requests, so the next batch is worth its fsync.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      flushing = null;
    }
  };
  const enqueue = <T>(fn: (x: SqlDb) => Promise<T>, derived = false, follow = false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new Error('the records database is closed'));
      queue.push({ fn, derived, followUp: follow, resolve: resolve as (v: unknown) => void, reject });
      flushing ??= flush();
    });
  return {
    dialect: 'sqlite',
    all: (sql, p = []) => (reader && isRead(sql) ? Promise.resolve().then(() => read(sql, p)) : enqueue((x) => x.all(sql, p))),
    run: (sql, p) => enqueue((x) => x.run(sql, p)),
    tx: (fn, opts) => enqueue(fn, opts?.derived === true, opts?.followUp === true),
    setFollowUp: (f) => void (followUp = f as FollowUp | null),
    durable,
    async close() {
      while (flushing) await flushing;
      closed = true; // no job joins from here
      await wal.close();
      reader?.close();
      db.close();
    },
  };
}
