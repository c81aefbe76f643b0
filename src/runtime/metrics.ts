// Prometheus metrics (prom-client), one registry per daemon so tests and replicas don't share.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
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
  };
}
