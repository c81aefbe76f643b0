// One load run: autocannon with every request a distinct, correctly signed push delivery. The
// same generator (and so the same per-request cost on the client side) for every target.
import autocannon from 'autocannon';
import type { DeliverySource } from './body.ts';

export interface LoadOptions {
  url: string;
  source: DeliverySource;
  connections: number;
  /** Seconds; or `amount` requests in total. */
  duration?: number;
  amount?: number;
}

export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  status: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
}

export async function load(o: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const res = await autocannon({
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
    timeout: 10,
    method: 'POST',
    headers: o.source.headers,
    requests: [
      {
        setupRequest: (req) => {
          const d = o.source.next();
          return { ...req, body: d.body, headers: { ...req.headers, 'x-gitea-delivery': d.id, 'x-gitea-signature': d.signature } };
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const status = Object.fromEntries(Object.entries(res.statusCodeStats).map(([k, v]) => [k, v.count]));
  const total = Object.values(status).reduce((a, b) => a + b, 0);
  return {
    // Completed responses over the run's own duration (autocannon's per-second average drops the last partial second).
    reqPerSec: total / (res.duration || seconds),
    p50Ms: res.latency.p50,
    p99Ms: res.latency.p99,
    maxMs: res.latency.max,
    total,
    status,
    errors: res.errors,
    timeouts: res.timeouts,
    seconds,
  };
}
