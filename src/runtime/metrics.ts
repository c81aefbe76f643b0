// Prometheus metrics (prom-client), one registry per daemon so tests and replicas don't share.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SUPPORTED_EVENTS } from '../events/payloads.ts';
import { VERSION } from '../version.ts';

const LABELLED_EVENTS: ReadonlySet<string> = new Set([...SUPPORTED_EVENTS, 'repository']);

/**
 * The labels of monitor_deliveries_total. The event header is the client's: it becomes a label only
 * once the signature is verified, and only from a closed set, so junk cannot add series.
 */
export function deliveryLabels(o: { kind: string; error?: string; verified?: true }, event: string): { event: string; outcome: string } {
  const outcome = o.kind === 'rejected' ? o.error! : o.kind;
  const verified = o.kind === 'accepted' || o.kind === 'duplicate' || o.kind === 'ignored' || o.verified === true;
  return { event: !verified ? 'unverified' : !event ? 'none' : LABELLED_EVENTS.has(event) ? event : 'other', outcome };
}

export interface Metrics {
  registry: Registry;
  deliveries: Counter<'event' | 'outcome'>;
  noticeLatency: Histogram<string>;
  notices: Counter<'kind'>;
  sendRetries: Counter<string>;
  sendFailures: Counter<string>;
  queueDepth: Gauge<'room'>;
  reconcileActions: Counter<'action'>;
  reconcileErrors: Counter<string>;
  hooks: Gauge<'state'>;
  reloadSuccessful: Gauge<string>;
  reloadSuccessTimestamp: Gauge<string>;
  reloads: Counter<'outcome'>;
  digestRenderFallbacks: Counter<string>;
  deliveriesParked: Counter<string>;
  /** Reads the processing thread's V8 heap (used, total) at each scrape; null: no thread. */
  threadHeap(read: () => Promise<{ used: number; total: number } | null>): void;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const r = [registry];
  new Gauge({ name: 'monitor_build_info', help: 'Always 1; the labels say which build runs.', labelNames: ['version', 'node'], registers: r }).set({ version: VERSION, node: process.version }, 1);
  let readThreadHeap: () => Promise<{ used: number; total: number } | null> = async () => null;
  new Gauge({
    name: 'monitor_processing_thread_heap_bytes',
    help: 'V8 heap of the storage-and-processing thread (SQLite), used and total; nodejs_heap_size_* is the main thread only.',
    labelNames: ['kind'],
    registers: r,
    async collect() {
      const h = await readThreadHeap().catch(() => null);
      this.reset();
      if (h) (this.set({ kind: 'used' }, h.used), this.set({ kind: 'total' }, h.total));
    },
  });
  return {
    threadHeap: (read) => void (readThreadHeap = read),
    registry,
    deliveries: new Counter({ name: 'monitor_deliveries_total', help: 'Webhook deliveries received, by event and outcome.', labelNames: ['event', 'outcome'], registers: r }),
    noticeLatency: new Histogram({
      name: 'monitor_notice_latency_seconds',
      help: 'Time from a notice being queued (its delivery processed, or its digest released) to the homeserver accepting it.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: r,
    }),
    notices: new Counter({ name: 'monitor_notices_total', help: 'Notices sent to Matrix, by kind (notice or digest).', labelNames: ['kind'], registers: r }),
    sendRetries: new Counter({ name: 'monitor_send_retries_total', help: 'Matrix send attempts that failed and will be retried.', registers: r }),
    sendFailures: new Counter({ name: 'monitor_send_failures_total', help: 'Notices given up after matrix.give_up_after.', registers: r }),
    queueDepth: new Gauge({ name: 'monitor_queue_depth', help: 'Notices waiting (pending or held for a digest), per room.', labelNames: ['room'], registers: r }),
    reconcileActions: new Counter({ name: 'monitor_reconcile_actions_total', help: 'Hook changes made on Gitea by reconcile.', labelNames: ['action'], registers: r }),
    reconcileErrors: new Counter({ name: 'monitor_reconcile_errors_total', help: 'Reconcile passes that ended with an error.', registers: r }),
    // Counts, not one series per repo: /metrics is scraped without auth and must not list private repos.
    hooks: new Gauge({ name: 'monitor_hooks', help: 'Declared repositories by hook state (ready, pending, error), as /webhook/health shows them.', labelNames: ['state'], registers: r }),
    reloadSuccessful: new Gauge({ name: 'monitor_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful.', registers: r }),
    reloadSuccessTimestamp: new Gauge({ name: 'monitor_config_last_reload_success_timestamp_seconds', help: 'Timestamp of the last successful configuration reload.', registers: r }),
    reloads: new Counter({ name: 'monitor_config_reloads_total', help: 'Configuration reload attempts, by outcome.', labelNames: ['outcome'], registers: r }),
    deliveriesParked: new Counter({ name: 'monitor_deliveries_parked_total', help: 'Stored deliveries parked (status failed, a failed run) after repeated processing failures.', registers: r }),
    digestRenderFallbacks: new Counter({ name: 'monitor_digest_render_fallbacks_total', help: 'Held notices or digests whose template failed and that went out in the plain built-in wording.', registers: r }),
  };
}
