// Turns stored deliveries into runs and outbox rows, oldest first, one at a time (the rate-limit
// decision for a repo and room must see the previous one). Woken by intake; also drains whatever a
// crash or restart left pending.
import { processDelivery, type ProcessDeps, type ProcessResult } from '../pipeline/process.ts';
import type { Logger } from '../log.ts';

export interface Worker {
  wake(): void;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createWorker(deps: ProcessDeps & { logger: Logger; onProcessed(r: ProcessResult): void; batch?: number; active?: () => boolean }): Worker {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pass = async () => {
    do {
      again = false;
      const batch = await deps.store.pendingDeliveries(deps.batch ?? 100);
      // One transaction for the whole batch (one fsync). A delivery writes only in commitProcessed,
      // itself a savepoint: a failing one rolls back alone and stays stored for the next wake.
      const done = await deps.store.batch(async (store) => {
        const out: ProcessResult[] = [];
        for (const d of batch) {
          if (stopped || deps.active?.() === false) break;
          try {
            const r = await processDelivery(d, { ...deps, store });
            deps.logger.info('delivery processed', { delivery_id: d.deliveryId, run_id: r.runId, status: r.status, rooms_now: r.pendingRooms.length, held: r.holdUntil.length });
            out.push(r);
          } catch (e) {
            deps.logger.error('delivery processing failed; it stays stored and is retried on the next wake', { delivery_id: d.deliveryId, error: e });
          }
        }
        return out;
      });
      // Only after the commit: the sender must not look for notices that are not there yet.
      done.forEach((r) => deps.onProcessed(r));
      if (stopped) return;
      if (batch.length === (deps.batch ?? 100)) again = true;
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
        .catch((e) => deps.logger.error('worker pass failed', { error: e }))
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
      await running;
    },
  };
  return worker;
}
