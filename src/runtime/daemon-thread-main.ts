// Entry of the daemon thread (daemon-thread.ts): V8's code cache first (a worker thread does not
// inherit the main thread's), then `monitor serve` itself. Signals arrive as messages and are
// emitted on `process`, where the daemon listens as it would on the main thread. One that arrives
// before anything listens acts as the signal would: SIGTERM and SIGINT end the thread, a SIGHUP
// waits for the daemon's reload handler.
import module from 'node:module';
import { constants } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

module.enableCompileCache?.();
let hupWaiting = false;
process.on('newListener', (event) => {
  if (event === 'SIGHUP' && hupWaiting) (hupWaiting = false, setImmediate(() => process.emit('SIGHUP', 'SIGHUP')));
});
parentPort!.on('message', (m: { signal?: 'SIGTERM' | 'SIGINT' | 'SIGHUP' }) => {
  const signal = m.signal;
  if (!signal) return;
  if (process.listenerCount(signal) > 0) process.emit(signal, signal);
  else if (signal === 'SIGHUP') hupWaiting = true;
  else process.exit(128 + constants.signals[signal]);
});
const [{ run }, { threadIO }] = await Promise.all([import('../cli/serve-daemon.ts'), import('../cli/io.ts')]);
process.exit(await run((workerData as { args: string[] }).args, threadIO()));
