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

export function createWorker(deps: WorkerDeps): Worker {
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
    retryTimer = clock.setTimeout(() => ((retryTimer = null), worker.wake()), deps.retryPauseMs ?? RETRY_PAUSE_MS).unref();
  };
  const pass = async () => {
    do {
      again = false;
      const batch = await deps.store.pendingDeliveries(limit);
      let failed = 0;
      // One transaction for the whole batch (one fsync). A delivery writes only in commitProcessed,
      // itself a savepoint: a failing one rolls back alone and stays stored for a later attempt.
      const done = await deps.store.batch(async (store) => {
        const out: ProcessResult[] = [];
        const parked: Array<[StoredDelivery, string]> = [];
        for (const d of batch) {
          if (stopped || deps.active?.() === false) break;
          try {
            const r = await processDelivery(d, { ...deps, store, nodeIds });
            deps.logger.info('delivery processed', { delivery_id: d.deliveryId, run_id: r.runId, status: r.status, sends_now: r.pending.length, held: r.holdUntil.length });
            out.push(r);
          } catch (e) {
            failed++;
            const error = e instanceof Error ? e.message : String(e);
            if (await store.deliveryFailed(d.seq, error.slice(0, 2000), maxAttempts, parkedRun(d, error, maxAttempts))) parked.push([d, error]);
            else deps.logger.warn('delivery processing failed; retried shortly', { delivery_id: d.deliveryId, error: e });
          }
        }
        for (const [d, error] of parked) {
          deps.logger.error('delivery parked after repeated processing failures', { delivery_id: d.deliveryId, attempts: maxAttempts, error });
          deps.onParked?.(d, error);
        }
        return out;
      });
      // Only after the commit: the sender must not look for notices that are not there yet.
      done.forEach((r) => deps.onProcessed(r));
      if (stopped) return;
      if (failed) retryLater();
      // A full batch of failures waits for the pause; a full batch with progress goes on at once.
      if (batch.length === limit && done.length > 0) again = true;
    } while (again && !stopped);
  };
  const worker: Worker = {
    wake() {
      if (stopped || deps.active?.() === false) return;
      if (running) {
        again = true;
        return;
      }
      running = pass()
        .catch((e) => {
          // The batch did not commit: node ids learnt inside it may not exist; learn them again.
          nodeIds.clear();
          deps.logger.error('worker pass failed; retried shortly', { error: e });
          retryLater();
        })
        .finally(() => {
          running = null;
          // A wake that came after the last check of `again` but before this point starts a new pass.
          if (again && !stopped) worker.wake();
        });
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clock.clearTimeout(retryTimer);
      await running;
    },
  };
  return worker;
}
