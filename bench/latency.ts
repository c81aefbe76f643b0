// Section 2: push -> notice latency. The Gitea and homeserver stand-ins run in their own process;
// the Gitea stand-in pushes round-robin over the repos (50/s over 100 repos for 20 s, then 200/s
// over 1,000 repos for 15 s), delivering each push exactly as Gitea does; the homeserver stand-in
// stamps each notice as it lands. With rate_limit.window 1s and each repo pushed every 2 s (5 s),
// nothing is deferred to a digest. The load starts once the daemon's post-install work is done
// (Gitea quiet for 2 s: test deliveries answered, catch-up baselines recorded): the goal is the
// steady state; the thirds of the run in the JSON show any start-up effect left.
import { giteaQuiet, startBenchWorld } from './lib/world.ts';
import { fmt, percentile, type SectionResult } from './lib/report.ts';

export interface LatencyOptions { rate: number; seconds: number; repos: number; window: string; nodeArgs?: string[] }
export const LATENCY_DEFAULTS: LatencyOptions = { rate: 50, seconds: 20, repos: 100, window: '1s' };
/** The load of issue 13's goal: 200 pushes/s over 1,000 repos, p99 < 25 ms. */
export const LATENCY_HEAVY: LatencyOptions = { rate: 200, seconds: 15, repos: 1000, window: '1s' };

/** Both loads in turn: the everyday one (p95 < 100 ms) and the heavy one (p99 < 25 ms). */
export async function latencyBench(o: LatencyOptions = LATENCY_DEFAULTS, heavy: LatencyOptions | null = LATENCY_HEAVY): Promise<SectionResult> {
  const light = await latencyRun(o, { pct: 95, limitMs: 100 });
  if (!heavy) return light;
  const h = await latencyRun(heavy, { pct: 99, limitMs: 25 });
  return { name: 'latency', rows: [...light.rows, ...h.rows], data: { ...light.data, heavy: h.data } };
}

async function latencyRun(o: LatencyOptions, goal: { pct: number; limitMs: number }): Promise<SectionResult> {
  const world = await startBenchWorld({ repos: o.repos, window: o.window, nodeArgs: o.nodeArgs });
  try {
    const quietAfterS = await giteaQuiet(world, 2);
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
          goal: `p${goal.pct} < ${goal.limitMs} ms`,
          met: p(goal.pct) < goal.limitMs,
        },
        {
          section: S,
          measure: `notices per push (${o.rate}/s)`,
          result: `${fmt(r.pushes)} pushes, ${fmt(r.accepted)} acked 202: ${fmt(r.exactlyOne)} exactly one, ${r.missing} none, ${r.duplicated} twice, ${r.other} other`,
          goal: 'each push exactly one',
          met: allOnce,
        },
      ],
      data: {
        options: o,
        pushes: r.pushes,
        quietAfterS,
        scheduleSeconds: r.seconds,
        accepted: r.accepted,
        exactlyOne: r.exactlyOne,
        missing: r.missing,
        duplicated: r.duplicated,
        other: r.other,
        fromDeliveryStartMs: { p50: p(50), p95: p(95), p99: p(99), max: p(100) },
        fromPushCallMs: { p50: q(50), p95: q(95), p99: q(99), max: q(100) },
        // The run in thirds, in push order (the first seconds carry the daemon's own start-up work).
        byThird: [0, 1, 2].map((i) => {
          const part = r.fromDeliveryMs.slice(Math.floor((i * r.fromDeliveryMs.length) / 3), Math.floor(((i + 1) * r.fromDeliveryMs.length) / 3));
          return { p50: percentile(part, 50), p99: percentile(part, 99), max: percentile(part, 100) };
        }),
        rssMiB: world.serve.memory().rssMiB,
      },
    };
  } finally {
    await world.stop();
  }
}
