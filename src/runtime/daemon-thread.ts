// `monitor serve` runs the daemon on a worker thread started with `resourceLimits` (issue 13:
// memory by design, not by flags). On a large machine V8 lets the main thread's young generation
// grow to 128 MiB under load and keeps it; a worker's limits are an API, so the daemon's young
// generation is capped here whatever flags Node was started with. The main thread only starts the
// thread, passes signals on (SIGTERM, SIGINT, SIGHUP: a worker gets none of its own) and exits with
// its code; the daemon's output goes to the process's stdout and stderr as before.
import { Worker } from 'node:worker_threads';

/** The daemon's young generation (two semi-spaces and the new large-object space), in MiB. */
export const DAEMON_YOUNG_GENERATION_MB = 16;

const entry = new URL(import.meta.url.endsWith('.ts') ? './daemon-thread-main.ts' : './daemon-thread-main.js', import.meta.url);
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Runs `monitor serve ARGS` on the daemon thread; resolves with its exit code. */
export function serveOnDaemonThread(args: string[]): Promise<number> {
  const worker = new Worker(entry, { workerData: { args }, resourceLimits: { maxYoungGenerationSizeMb: DAEMON_YOUNG_GENERATION_MB } });
  const forward = SIGNALS.map((signal) => [signal, () => worker.postMessage({ signal })] as const);
  for (const [s, f] of forward) process.on(s, f);
  return new Promise((resolve) => {
    worker.on('error', (e) => process.stderr.write(`monitor serve: the daemon thread failed: ${(e as Error)?.stack ?? String(e)}\n`));
    worker.on('exit', (code) => {
      for (const [s, f] of forward) process.off(s, f);
      resolve(code);
    });
  });
}
