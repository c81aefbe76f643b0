// `monitor serve` runs the daemon on a worker thread started with `resourceLimits` (issue 13:
// memory by design, not by flags). On a large machine V8 lets the main thread's young generation
// grow to 128 MiB under load and keeps it; a worker's limits are an API, so the daemon's young
// generation is capped here whatever flags Node was started with. The main thread starts the
// thread, passes signals on (SIGTERM, SIGINT, SIGHUP: a worker gets none of its own), runs the
// SQLite WAL's checkpoints (it has nothing else to do) and exits with the thread's code; the
// daemon's output goes to the process's stdout and stderr as before.
import { Worker } from 'node:worker_threads';
import { isWalCheckpointRequest, startWalCheckpoints, type WalCheckpoints } from '../adapters/store/wal-checkpoints.ts';
import { createLogger } from '../log.ts';

/** The daemon's young generation (two semi-spaces and the new large-object space), in MiB. */
export const DAEMON_YOUNG_GENERATION_MB = 16;

const entry = new URL(import.meta.url.endsWith('.ts') ? './daemon-thread-main.ts' : './daemon-thread-main.js', import.meta.url);
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Runs `monitor serve ARGS` on the daemon thread; resolves with its exit code. */
export function serveOnDaemonThread(args: string[]): Promise<number> {
  const worker = new Worker(entry, { workerData: { args }, resourceLimits: { maxYoungGenerationSizeMb: DAEMON_YOUNG_GENERATION_MB } });
  const forward = SIGNALS.map((signal) => [signal, () => worker.postMessage({ signal })] as const);
  for (const [s, f] of forward) process.on(s, f);
  // The records' WAL checkpoints run here, on a thread that has nothing else to do (serve-daemon.ts
  // asks once the schema is in place), instead of inside a COMMIT of the processing thread.
  // Its rare log lines have the daemon's format (log.ts), on the process's stdout.
  let checkpoints: WalCheckpoints | null = null;
  worker.on('message', (m: unknown) => {
    if (!isWalCheckpointRequest(m) || checkpoints) return;
    const logger = createLogger({}, { path: m.path });
    try {
      checkpoints = startWalCheckpoints(m.path, { onError: (error) => logger.warn('a WAL checkpoint failed; tried again each second', { error: error.message }) });
    } catch (e) {
      logger.warn('cannot open the records database for WAL checkpoints; the processing thread checkpoints itself', { error: (e as Error).message });
    }
  });
  return new Promise((resolve) => {
    worker.on('error', (e) => process.stderr.write(`monitor serve: the daemon thread failed: ${(e as Error)?.stack ?? String(e)}\n`));
    worker.on('exit', (code) => {
      for (const [s, f] of forward) process.off(s, f);
      checkpoints?.stop();
      resolve(code);
    });
  });
}
