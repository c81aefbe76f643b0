// WAL checkpoints on a connection of their own, on a thread other than the writer's. SQLite's
// automatic checkpoint runs inside the COMMIT that crosses wal_autocheckpoint: it copies every page
// the WAL holds back into the database file and fsyncs it, 25-45 ms on the thread that also answers
// deliveries (a fifth of all COMMIT time under load). A PASSIVE checkpoint from another connection
// takes no write lock: the writer goes on committing meanwhile, and once a checkpoint has copied the
// whole WAL, the writer's next transaction starts it over from the beginning.
import { DatabaseSync } from 'node:sqlite';

/** The writer's own checkpoint while checkpoints run elsewhere: only a safety net (4× what the
 * external checkpoints let the WAL grow to), should they stop. */
export const EXTERNAL_AUTOCHECKPOINT_PAGES = 40_000;

export interface WalCheckpoints {
  /** One PASSIVE checkpoint now: the WAL frames it held and how many are in the database file. */
  once(): { log: number; checkpointed: number } | null;
  stop(): void;
}

export function startWalCheckpoints(path: string, o: { intervalMs?: number; onError?: (e: Error) => void } = {}): WalCheckpoints {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 0');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  let failing = false;
  const once = () => {
    try {
      const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      failing = false;
      return { log: Number(r.log), checkpointed: Number(r.checkpointed) };
    } catch (e) {
      // Busy (another checkpoint, a restart of the WAL): the next tick tries again. Reported once per run of failures.
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
