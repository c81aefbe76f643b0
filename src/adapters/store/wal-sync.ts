// When SQLite's commits are durable. Every COMMIT runs with synchronous = NORMAL (it writes the WAL,
// no fsync); this tracker fsyncs the WAL file on libuv's pool while the thread goes on, and tells a
// caller when every commit made so far is on disk. fsyncs are shared: all commits made while one
// runs wait for the next. WAL commits are appended in order, so after a power cut the database is
// always a prefix of its commits. Commits of derived writes only (TxOptions.derived) need no answer
// of their own: they get an fsync at most SYNC_LATER_MS later if no other commit asks for one.
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreUnavailableError } from './store-unavailable.ts';

/** How long derived commits may wait for an fsync when no other commit asks for one. */
const SYNC_LATER_MS = 200;

export interface WalSync {
  /** A COMMIT that changed something went through; `derived`: nobody waits for it. */
  committed(derived: boolean): void;
  /** Resolves once every commit so far is durable; rejects once an fsync has failed. */
  durable(): Promise<void>;
  /** The failure that ended durability (a failed fsync), if any. */
  broken(): StoreUnavailableError | null;
  /** Waits for the last commits to be durable (a failing disk: does not wait), then lets the WAL go. */
  close(): Promise<void>;
}

export function walSync(path: string): WalSync {
  const memory = path === ':memory:';
  let written = 0; // commits that changed something
  let synced = 0; // of those, the ones an fsync has made durable
  let syncing: Promise<void> | null = null;
  let waiters: Array<{ upTo: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  let walFd: number | null = null;
  let later: NodeJS.Timeout | null = null;
  /** A failed fsync: pages the kernel could not write are dropped and a later fsync may well
   * succeed, so nothing committed since can be called durable again. Every later wait is refused
   * until a restart opens the database again. */
  let broken: StoreUnavailableError | null = null;

  const fsyncWal = () =>
    new Promise<void>((resolve, reject) => {
      if (walFd === null) {
        try {
          walFd = openSync(`${path}-wal`, 'r');
        } catch {
          return resolve(); // no WAL file: nothing was written to make durable
        }
        // The WAL file is new (SQLite removes it on a clean close): its directory entry must be on
        // disk too, or a power cut could lose the file itself. Once per open.
        try {
          const dir = openSync(dirname(path), 'r');
          try {
            fsyncSync(dir);
          } finally {
            closeSync(dir);
          }
        } catch (e) {
          return reject(e);
        }
      }
      // fdatasync, as SQLite's own WAL sync: the data and what is needed to read it back (the size).
      fdatasync(walFd, (e) => (e ? reject(e) : resolve()));
    });

  const startSync = () => {
    if (syncing || memory) return;
    if (later) (clearTimeout(later), (later = null));
    const upTo = written;
    syncing = fsyncWal()
      .then(
        () => {
          synced = Math.max(synced, upTo);
          const done = waiters.filter((w) => w.upTo <= synced);
          waiters = waiters.filter((w) => w.upTo > synced);
          done.forEach((w) => w.resolve());
        },
        (e) => {
          broken = new StoreUnavailableError(`the records database could not be made durable (fsync failed: ${(e as Error).message}); restart the monitor once the disk is healthy`, { cause: e });
        },
      )
      .finally(() => {
        syncing = null;
        if (broken) waiters.splice(0).forEach((w) => w.reject(broken));
        else if (waiters.length) startSync();
      });
  };

  const durable = (): Promise<void> => {
    if (broken) return Promise.reject(broken);
    if (synced >= written || memory) return Promise.resolve();
    const upTo = written;
    return new Promise<void>((resolve, reject) => {
      waiters.push({ upTo, resolve, reject });
      startSync();
    });
  };

  return {
    committed(derived) {
      written++;
      if (derived)
        later ??= setTimeout(() => {
          later = null;
          if (synced < written) durable().catch(() => undefined); // a later durable batch reports a failing disk
        }, SYNC_LATER_MS).unref();
    },
    durable,
    broken: () => broken,
    async close() {
      if (later) (clearTimeout(later), (later = null));
      while (synced < written && !memory && !broken) await durable().catch(() => undefined);
      if (walFd !== null) closeSync(walFd);
      walFd = null;
    },
  };
}
