// Section 4: memory. RSS (VmRSS from /proc/PID/status) of `monitor serve` idle and after 10k, 50k
// and 100k accepted deliveries. Realistic shape: 1,000 repos, the default 60 s rate-limit window,
// so each repo gets its first push announced and the rest merged into digests, with the
// homeserver stand-in (own process) answering at once so the outbox drains.
import { deliverySource } from './lib/body.ts';
import { load } from './lib/load.ts';
import { HOOK_SECRET } from './lib/serve.ts';
import { giteaQuiet, startBenchWorld } from './lib/world.ts';
import { fmt, type SectionResult } from './lib/report.ts';
import { spawnSync } from 'node:child_process';

/** RSS (MiB) of a bare `node` that has settled, and of one running two idle worker threads (the
 * daemon's and the processing thread): what the runtime itself costs before any module of ours loads. */
function runtimeBaseline(): { bareMiB: number; workerMiB: number } {
  const rss = (code: string) => {
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 10_000 });
    return Number(r.stdout.trim()) / 2 ** 20;
  };
  const report = 'setTimeout(() => { console.log(process.memoryUsage().rss); process.exit(0); }, 500)';
  return {
    bareMiB: rss(report),
    workerMiB: rss(`for (let i = 0; i < 2; i++) new (require('node:worker_threads').Worker)('setTimeout(() => {}, 5000)', { eval: true }); ${report}`),
  };
}

export interface MemoryOptions { checkpoints: number[]; repos: number; window: string; connections: number; nodeArgs?: string[] }
export const MEMORY_DEFAULTS: MemoryOptions = { checkpoints: [10_000, 50_000, 100_000], repos: 1000, window: '60s', connections: 20 };

interface Checkpoint { deliveries: number; accepted: number; rssMiB: number; peakMiB: number; heapUsedMiB: number; heapTotalMiB: number; seconds: number }

export async function memoryBench(o: MemoryOptions = MEMORY_DEFAULTS): Promise<SectionResult> {
  const world = await startBenchWorld({ repos: o.repos, window: o.window, nodeArgs: o.nodeArgs });
  const source = deliverySource(HOOK_SECRET, o.repos);
  const points: Checkpoint[] = [];
  let idle: { rssMiB: number; peakMiB: number; heapUsedMiB: number; heapTotalMiB: number; threadHeapUsedMiB: number; threadHeapTotalMiB: number };
  const base = runtimeBaseline();
  let quietAfterS = 0;
  let messages = 0;
  try {
    // Idle means idle: the daemon's post-install work (test deliveries, catch-up baselines) is done.
    quietAfterS = await giteaQuiet(world, 3);
    idle = { ...world.serve.memory(), ...(await world.serve.heap()) };
    let sent = 0;
    let accepted = 0;
    const started = performance.now();
    for (const target of o.checkpoints) {
      const r = await load({ url: world.serve.publicUrl, source, connections: o.connections, amount: target - sent });
      sent = target;
      accepted += r.status['202'] ?? 0;
      // A second for the worker to catch up with what was just acknowledged, then read.
      await new Promise((res) => setTimeout(res, 1000));
      points.push({ deliveries: target, accepted, ...world.serve.memory(), ...(await world.serve.heap()), seconds: (performance.now() - started) / 1000 });
    }
    messages = await world.standIns.messages();
  } finally {
    await world.stop();
  }
  const last = points.at(-1)!;
  const mid = points.at(-2) ?? last;
  const growth = last.rssMiB - mid.rssMiB;
  // "Flat": at most 10 % more from the middle checkpoint to the last.
  const flat = growth <= 0.1 * mid.rssMiB;
  const S = 'memory';
  return {
    name: S,
    rows: [
      {
        section: S,
        measure: `RSS idle / ${points.map((p) => `${fmt(p.deliveries / 1000)}k`).join(' / ')} deliveries (${fmt(o.repos)} repos, ${o.window} window)`,
        result: `${fmt(idle.rssMiB)} / ${points.map((p) => fmt(p.rssMiB)).join(' / ')} MiB (peak ${fmt(last.peakMiB)} MiB)`,
        goal: 'idle < 100 MiB, peak < 150 MiB',
        met: idle.rssMiB < 100 && last.peakMiB < 150,
      },
      {
        section: S,
        measure: `RSS idle (Gitea quiet, after ${fmt(quietAfterS)} s), what it is (${o.nodeArgs?.length ? `node ${o.nodeArgs.join(' ')}` : "Node's default flags"})`,
        result: `node itself ${fmt(base.bareMiB)} + two worker threads ${fmt(base.workerMiB - base.bareMiB)} + V8 heaps (daemon thread ${fmt(idle.heapTotalMiB)}, processing thread ${fmt(idle.threadHeapTotalMiB)}; used ${fmt(idle.heapUsedMiB)} + ${fmt(idle.threadHeapUsedMiB)}) + code, buffers and malloc ${fmt(idle.rssMiB - base.workerMiB - idle.heapTotalMiB - idle.threadHeapTotalMiB)} MiB`,
        goal: '',
        met: null,
      },
      {
        section: S,
        measure: `RSS growth ${fmt(mid.deliveries / 1000)}k → ${fmt(last.deliveries / 1000)}k`,
        result: `${growth >= 0 ? '+' : ''}${fmt(growth, 1)} MiB RSS; V8 heap used ${points.map((p) => fmt(p.heapUsedMiB)).join(' / ')} MiB of ${points.map((p) => fmt(p.heapTotalMiB)).join(' / ')} (${fmt(last.accepted)} accepted in ${fmt(last.seconds)} s, ${fmt(messages)} messages sent)`,
        goal: 'flat',
        met: flat,
      },
    ],
    data: { options: o, idle, quietAfterS, baseline: base, checkpoints: points, messagesSent: messages, growthMiB: growth },
  };
}
