// SqlDb on node:sqlite, with group commit. node:sqlite is synchronous, so every statement runs on
// the event-loop thread; and with WAL + synchronous=FULL every COMMIT is an fsync (a 202 means the
// delivery survives a crash or power loss). Group commit keeps that promise at a fraction of the
// cost: every statement and transaction queued while a batch runs joins the next batch — one
// BEGIN IMMEDIATE … COMMIT, one fsync — each job inside its own SAVEPOINT (a failing job rolls back
// alone), and every promise settles only after the COMMIT, so nothing is acknowledged early.
// Another writer holding the lock never blocks the thread: BEGIN is retried on timers up to
// `lockTimeoutMs`, then that batch is rejected (StoreUnavailableError: deliveries get 503) and the
// flusher goes on with the next one.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { closeSync, fsyncSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Param, Row, SqlDb } from './db.ts';

interface Job {
  fn: (x: SqlDb) => Promise<unknown>;
  derived: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** The records database cannot take writes now (locked by another writer, gone, …); retry later. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface SqliteOptions {
  /** How long a batch waits for another writer's lock before it is refused (default 2 s). */
  lockTimeoutMs?: number;
}

/** How long derived commits may wait for an fsync when no fsync'd commit follows them. */
const SYNC_LATER_MS = 200;

const isBusy = (e: unknown) => /database is (locked|busy)|SQLITE_BUSY/i.test(String((e as Error)?.message ?? e)) || (e as { errcode?: number })?.errcode === 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function openSqliteDb(path: string, opts: SqliteOptions = {}): SqlDb {
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
function sqlDbOn(path: string, db: DatabaseSync, opts: SqliteOptions): SqlDb {
  // busy_timeout 0: a lock is waited for on timers below, never by blocking the event loop. A WAL
  // checkpoint (copying pages back and an fsync of the database file, inside some COMMIT) every
  // ~40 MB of WAL rather than SQLite's default ~4 MB.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 0; PRAGMA wal_autocheckpoint = 10000;');
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
  let flushing: Promise<void> | null = null;
  let closed = false;

  /** BEGIN IMMEDIATE, waiting on timers (1, 2, 4 … 50 ms) while another writer holds the lock. */
  const begin = async () => {
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
  // FULL (fsync at COMMIT) unless every job of the batch is derived (TxOptions.derived). WAL commits
  // are appended in order, so a FULL commit makes every earlier NORMAL one durable as well: after a
  // power cut the database is always a prefix of its commits. NORMAL commits not followed by a FULL
  // one are made durable by an fsync of the WAL file at most SYNC_LATER_MS later, so a power cut
  // loses at most that much derived work (written again from the durable deliveries).
  let synchronous: 'FULL' | 'NORMAL' = 'FULL';
  const setSynchronous = (mode: 'FULL' | 'NORMAL') => {
    if (mode !== synchronous) (db.exec(`PRAGMA synchronous = ${mode}`), (synchronous = mode));
  };
  let unsynced: NodeJS.Timeout | null = null;
  const syncWal = () => {
    unsynced = null;
    if (closed || path === ':memory:') return;
    try {
      const fd = openSync(`${path}-wal`, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      /* no WAL file (checkpointed and truncated): nothing to make durable */
    }
  };
  const committed = (mode: 'FULL' | 'NORMAL') => {
    if (mode === 'FULL') {
      if (unsynced) (clearTimeout(unsynced), (unsynced = null));
    } else unsynced ??= setTimeout(syncWal, SYNC_LATER_MS).unref();
  };
  // A batch that changed nothing (a transaction of reads, an update that matched no row) has nothing to make durable.
  const totalChanges = db.prepare('SELECT total_changes() AS n');
  const changes = () => Number((totalChanges.get() as { n: number }).n);
  const runBatch = async (batch: Job[]) => {
    const changedBefore = changes();
    try {
      setSynchronous(batch.every((j) => j.derived) ? 'NORMAL' : 'FULL');
      await begin();
    } catch (e) {
      for (const j of batch) j.reject(e);
      return;
    }
    const out: Array<{ ok: boolean; v: unknown }> = [];
    for (const j of batch) {
      sp.job.run();
      try {
        out.push({ ok: true, v: await j.fn(direct) });
        sp.release.run();
      } catch (e) {
        sp.rollback.run();
        sp.release.run();
        out.push({ ok: false, v: e });
      }
    }
    try {
      db.exec('COMMIT');
      if (changes() !== changedBefore) committed(synchronous);
    } catch (e) {
      try {
        db.exec('ROLLBACK');
      } catch {
        /* already rolled back */
      }
      const err = new StoreUnavailableError(`the records database could not commit: ${(e as Error).message}`, { cause: e });
      for (const j of batch) j.reject(err);
      return;
    }
    batch.forEach((j, i) => (out[i]!.ok ? j.resolve(out[i]!.v) : j.reject(out[i]!.v)));
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
          for (const j of batch) j.reject(err);
        }
        // Let the event loop read more requests, so the next batch is worth its fsync.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      flushing = null;
    }
  };
  const enqueue = <T>(fn: (x: SqlDb) => Promise<T>, derived = false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closed) return reject(new Error('the records database is closed'));
      queue.push({ fn, derived, resolve: resolve as (v: unknown) => void, reject });
      flushing ??= flush();
    });
  return {
    dialect: 'sqlite',
    all: (sql, p = []) => (reader && isRead(sql) ? Promise.resolve().then(() => read(sql, p)) : enqueue((x) => x.all(sql, p))),
    run: (sql, p) => enqueue((x) => x.run(sql, p)),
    tx: (fn, opts) => enqueue(fn, opts?.derived === true),
    async close() {
      while (flushing) await flushing;
      if (unsynced) (clearTimeout(unsynced), syncWal());
      closed = true;
      reader?.close();
      db.close();
    },
  };
}
