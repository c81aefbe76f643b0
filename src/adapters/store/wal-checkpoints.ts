// WAL checkpoints on a connection of their own, on a thread other than the writer's. SQLite's
// automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint: it copies every page
// the WAL holds back into the database file and fsyncs it, 25-45 ms on the thread that also answers
// deliveries (a fifth of all COMMIT time under load). Here, each tick, a PASSIVE checkpoint copies
// what the WAL holds without taking the write lock: the writer goes on committing meanwhile. Under
// steady load a commit lands during nearly every one, so the WAL is never wholly copied at the
// moment a writer starts and SQLite never starts it over: once it holds RESTART_PAGES, a RESTART
// checkpoint finishes the (by then short) copy while holding writers off — the writer's BEGIN waits
// on its timers, its thread free — and makes the next writer start the WAL from the beginning.
import { DatabaseSync } from 'node:sqlite';

/** The WAL's size (pages) past which a tick also restarts it: SQLite's own checkpoint point. */
export const RESTART_PAGES = 10_000;
/** The writer's own checkpoint while checkpoints run elsewhere: only a safety net, should they stop. */
export const EXTERNAL_AUTOCHECKPOINT_PAGES = 40_000;
/** How long a RESTART waits for the writer's transaction in progress, and for readers. */
const RESTART_WAIT_MS = 200;

/** What the daemon thread posts to the main thread of `monitor serve` once the schema is in place. */
export interface WalCheckpointRequest {
  type: 'wal-checkpoints';
  /** The records database, absolute (the threads share the working folder, but say it once). */
  path: string;
}
export const walCheckpointRequest = (path: string): WalCheckpointRequest => ({ type: 'wal-checkpoints', path });
export const isWalCheckpointRequest = (m: unknown): m is WalCheckpointRequest =>
  (m as WalCheckpointRequest | null)?.type === 'wal-checkpoints' && typeof (m as WalCheckpointRequest).path === 'string';

export interface CheckpointResult {
  /** Frames the WAL held, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
  /** A RESTART ran to its end: the next writer starts the WAL over. */
  restarted: boolean;
}

export interface WalCheckpoints {
  /** One tick now: a PASSIVE checkpoint, then a RESTART if the WAL holds RESTART_PAGES or more. */
  once(): CheckpointResult | null;
  stop(): void;
}

export function startWalCheckpoints(path: string, o: { intervalMs?: number; restartPages?: number; onError?: (e: Error) => void } = {}): WalCheckpoints {
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${RESTART_WAIT_MS}`);
  const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
  const restartPages = o.restartPages ?? RESTART_PAGES;
  let failing = false;
  const run = (s: typeof passive) => s.get() as { busy: number; log: number; checkpointed: number };
  const once = (): CheckpointResult | null => {
    try {
      const p = run(passive);
      let result: CheckpointResult = { log: Number(p.log), checkpointed: Number(p.checkpointed), restarted: false };
      if (result.log >= restartPages) {
        const r = run(restart);
        result = { log: Number(r.log), checkpointed: Number(r.checkpointed), restarted: Number(r.busy) === 0 };
      }
      failing = false;
      return result;
    } catch (e) {
      // Busy past the wait (a long transaction, another checkpoint): the next tick tries again.
      // Reported once per run of failures.
      if (!failing) o.onError?.(e as Error);
      failing = true;
      return null;
    }
  };
  const timer = setInterval(once, o.intervalMs ?? 1000).unref();
  return {
    once,
    stop() {
      clearInterval(timer);
      db.close();
    },
  };
}
