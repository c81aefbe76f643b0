// Section 5: start-up. Wall time from spawning `node bin/monitor.js serve` to the first 200 from
// GET /webhook/health (polled every 5 ms), fresh folder and database each time; median of 5.
// Ready means the receiver is listening and the rooms are joined (the stand-ins run in their own process).
import { startStandIns } from './lib/standins.ts';
import { startServe } from './lib/serve.ts';
import { fmt, median, type SectionResult } from './lib/report.ts';

export async function startupBench(runs = 5, repos = 100, nodeArgs?: string[]): Promise<SectionResult> {
  const standIns = await startStandIns(repos);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const s = await startServe({ gitea: standIns.gitea, homeserver: standIns.homeserver, window: '60s', nodeArgs });
      times.push(s.readyMs);
      await s.stop();
    }
  } finally {
    await standIns.stop();
  }
  const m = median(times);
  return {
    name: 'startup',
    rows: [
      {
        section: 'start-up',
        measure: `spawn → /webhook/health 200 (median of ${runs}, fresh database)`,
        result: `${fmt(m)} ms (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))})`,
        goal: '< 400 ms',
        met: m < 400,
      },
    ],
    data: { runs: times, medianMs: m },
  };
}
