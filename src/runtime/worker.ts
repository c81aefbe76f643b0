// Turns stored deliveries into runs and outbox rows, oldest first, one at a time (the rate-limit
// decision for a repo and room must see the previous one). Woken by intake; also drains whatever a
// crash or restart left pending. A delivery whose processing fails is retried after a pause and,
// after `maxAttempts` failures, parked (status `failed`, a failed run): it never blocks the others.
import { parkedRun, processDelivery, type ProcessDeps, type ProcessResult } from '../pipeline/process.ts';
import type { Store, StoredDelivery } from '../adapters/store/types.ts';
import type { Logger } from '../log.ts';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';

export interface Worker {
  wake(): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const PROCESS_ATTEMPTS = 5;
const RETRY_PAUSE_MS = 1000;

export interface WorkerDeps extends ProcessDeps {
  /** The whole store: a batch of deliveries is processed in one transaction. */
  store: Store;
  logger: Logger;
  onProcessed(r: ProcessResult): void;
  /** A delivery failed `maxAttempts` times and was parked. */
  onParked?(d: StoredDelivery, error: string): void;
  batch?: number;
  maxAttempts?: number;
  retryPauseMs?: number;
  active?: () => boolean;
  clock?: Clock;
}

/** What one batch did, handed over after its commit. */
interface BatchResult {
  done: ProcessResult[];
  parked: Array<[StoredDelivery, string]>;
  failed: number;
  /** The batch was full: more may be pending. */
  full: boolean;
}

/** A worker whose batches can also run inside another transaction: the SQLite processing thread
 * runs `inline` as the follow-up of every batch that stores a delivery (TxOptions.followUp), so a
 * delivery is processed in the commit that stores it. */
export interface InlineWorker extends Worker {
  inline: {
    /** Processes what is pending, inside the caller's open transaction; null when not active. */
    run(store: Store): Promise<BatchResult | null>;
    /** After that transaction, once for every run (answers may come after the next batch ran): what
     * it processed is announced once committed; anything left is picked up by a pass. */
    settled(r: { ok: true; value: BatchResult | null } | { ok: false; error: unknown }): void;
  };
}

export function createWorker(deps: WorkerDeps): InlineWorker {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const clock = deps.clock ?? systemClock;
  let retryTimer: TimerHandle | null = null;
  const limit = deps.batch ?? 100;
  const nodeIds = deps.nodeIds ?? new Map<string, string>();
  const maxAttempts = deps.maxAttempts ?? PROCESS_ATTEMPTS;
  const retryLater = () => {
    if (retryTimer || stopped) return;
    retryTimer = clock.setTimeout(() => ((retryTimer = null), worker.wake()), pauseMs).unref();
  };
  const active = () => !stopped && deps.active?.() !== false;
  const pauseMs = deps.retryPauseMs ?? RETRY_PAUSE_MS;
  // Deliveries whose processing failed, and when they may be tried again (this process only: after
  // a restart they are tried at once). Every intake batch runs a follow-up, so without this a failing
  // delivery would be tried — and parked — within milliseconds under load.
  const notBefore = new Map<number, number>();
  // Inside a transaction (one fsync for the batch), oldest first: the pending deliveries as this
  // transaction sees them, so a batch never processes one that an earlier batch already did. A
  // delivery writes only in commitProcessed, itself a savepoint: a failing one rolls back alone and
  // stays stored for a later attempt.
  const processPending = async (store: Store): Promise<BatchResult> => {
    const batch = await store.pendingDeliveries(limit);
    const r: BatchResult = { done: [], parked: [], failed: 0, full: batch.length === limit };
    for (const d of batch) {
      if (!active()) break;
      if ((notBefore.get(d.seq) ?? 0) > clock.mono()) {
        r.failed++; // still failing: its pause is not over (retryLater picks it up)
        continue;
      }
      try {
        const p = await processDelivery(d, { ...deps, store, nodeIds });
        notBefore.delete(d.seq);
        deps.logger.info('delivery processed', { delivery_id: d.deliveryId, run_id: p.runId, status: p.status, sends_now: p.pending.length, held: p.holdUntil.length });
        r.done.push(p);
      } catch (e) {
        r.failed++;
        const error = e instanceof Error ? e.message : String(e);
        if (await store.deliveryFailed(d.seq, error.slice(0, 2000), maxAttempts, parkedRun(d, error, maxAttempts))) (r.parked.push([d, error]), notBefore.delete(d.seq));
        else (notBefore.set(d.seq, clock.mono() + pauseMs), deps.logger.warn('delivery processing failed; retried shortly', { delivery_id: d.deliveryId, error: e }));
      }
    }
    return r;
  };
  // Only after the commit: the sender must not look for notices that are not there yet.
  const committed = (r: BatchResult) => {
    for (const [d, error] of r.parked) {
      deps.logger.error('delivery parked after repeated processing failures', { delivery_id: d.deliveryId, attempts: maxAttempts, error });
      deps.onParked?.(d, error);
    }
    r.done.forEach((p) => deps.onProcessed(p));
    if (r.failed && !stopped) retryLater();
  };
  const batchFailed = (e: unknown) => {
    // The batch did not commit: node ids learnt inside it may not exist, and windows it recorded
    // were not; learn both again.
    nodeIds.clear();
    deps.windows.forget();
    deps.logger.error('worker pass failed; retried shortly', { error: e });
    retryLater();
  };
  const pass = async () => {
    do {
      again = false;
      const r = await deps.store.batch(processPending);
      committed(r);
      if (stopped) return;
      // A full batch of failures waits for the pause; a full batch with progress goes on at once.
      if (r.full && r.done.length > 0) again = true;
    } while (again && !stopped);
  };
  // Follow-ups whose batches are not answered yet: a batch is answered after its fsync, and the next
  // batch (and its follow-up) runs meanwhile, so several may be open at once. The database settles
  // each run exactly once.
  let inlineOpen = 0;
  const idleWaiters: Array<() => void> = [];
  const worker: InlineWorker = {
    wake() {
      if (!active()) return;
      if (running) {
        again = true;
        return;
      }
      running = pass()
        .catch(batchFailed)
        .finally(() => {
          running = null;
          // A wake that came after the last check of `again` but before this point starts a new pass.
          if (again && !stopped) worker.wake();
        });
    },
    inline: {
      async run(store) {
        inlineOpen++;
        if (!active()) return null;
        return processPending(store);
      },
      settled(r) {
        if (--inlineOpen === 0) idleWaiters.splice(0).forEach((w) => w());
        if (!r.ok) return batchFailed(r.error);
        if (r.value === null) return;
        committed(r.value);
        if (r.value.full && !stopped) worker.wake();
      },
    },
    async idle() {
      while (running || inlineOpen > 0) {
        if (running) await running;
        else await new Promise<void>((resolve) => idleWaiters.push(resolve));
      }
    },
    async stop() {
      stopped = true;
      clock.clearTimeout(retryTimer);
      await worker.idle();
    },
  };
  return worker;
}
