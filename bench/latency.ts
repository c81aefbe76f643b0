// Section 2: push -> notice latency. The Gitea and homeserver stand-ins run in their own process;
// the Gitea stand-in pushes 50 times a second round-robin over 100 repos for 20 s, delivering each
// push exactly as Gitea does; the homeserver stand-in stamps each notice as it lands. With
// rate_limit.window 1s and each repo pushed every 2 s, nothing is deferred to a digest.
import { startBenchWorld } from './lib/world.ts';
import { fmt, percentile, type SectionResult } from './lib/report.ts';

export interface LatencyOptions { rate: number; seconds: number; repos: number; window: string; nodeArgs?: string[] }
export const LATENCY_DEFAULTS: LatencyOptions = { rate: 50, seconds: 20, repos: 100, window: '1s' };

export async function latencyBench(o: LatencyOptions = LATENCY_DEFAULTS): Promise<SectionResult> {
  const world = await startBenchWorld({ repos: o.repos, window: o.window, nodeArgs: o.nodeArgs });
  try {
    const r = await world.standIns.pushes({ rate: o.rate, seconds: o.seconds, repos: o.repos, waitMs: 15_000 });
    const p = (q: number) => percentile(r.fromDeliveryMs, q);
    const q = (x: number) => percentile(r.fromPushMs, x);
    const S = 'push → notice';
    const allOnce = r.exactlyOne === r.pushes && r.other === 0;
    return {
      name: 'latency',
      rows: [
        {
          section: S,
          measure: `${o.rate} pushes/s over ${o.repos} repos for ${o.seconds} s: delivery start → homeserver`,
          result: `p50 ${fmt(p(50), 1)} ms, p95 ${fmt(p(95), 1)} ms, p99 ${fmt(p(99), 1)} ms, max ${fmt(p(100), 1)} ms`,
          goal: 'p95 < 100 ms',
          met: p(95) < 100,
        },
        {
          section: S,
          measure: 'notices per push',
          result: `${fmt(r.pushes)} pushes, ${fmt(r.accepted)} acked 202: ${fmt(r.exactlyOne)} exactly one, ${r.missing} none, ${r.duplicated} twice, ${r.other} other`,
          goal: 'each push exactly one',
          met: allOnce,
        },
      ],
      data: {
        options: o,
        pushes: r.pushes,
        scheduleSeconds: r.seconds,
        accepted: r.accepted,
        exactlyOne: r.exactlyOne,
        missing: r.missing,
        duplicated: r.duplicated,
        other: r.other,
        fromDeliveryStartMs: { p50: p(50), p95: p(95), p99: p(99), max: p(100) },
        fromPushCallMs: { p50: q(50), p95: q(95), p99: q(99), max: q(100) },
        rssMiB: world.serve.memory().rssMiB,
      },
    };
  } finally {
    await world.stop();
  }
}
