// `monitor serve` on the daemon thread (runtime/daemon-thread.ts): the config, the storage thread
// and the daemon until SIGTERM/SIGINT, then drain and exit 0.
import type { CliIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { loadForCommand } from './load.ts';
import { spawnProcessingThread } from '../runtime/processing-client.ts';
import { isMainThread, parentPort } from 'node:worker_threads';
import { resolve } from 'node:path';
import { walCheckpointRequest } from '../adapters/store/wal-checkpoints.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  const a = parseCommandArgs(args, {});
  if ('error' in a) {
    io.stderr(`monitor serve: ${a.error}\nUsage: monitor serve [-c FILE]\n`);
    return 1;
  }
  // A SIGHUP while the config and the daemon load must not end the process (its default action):
  // it is remembered, and the daemon reloads once it runs.
  let hup = false;
  const onHup = () => void (hup = true);
  process.on('SIGHUP', onHup);
  const file = String(a.values.config ?? 'monitor.yaml');
  const config = await loadForCommand(file, io);
  if (!config) {
    process.off('SIGHUP', onHup);
    return 1;
  }
  // SQLite: the storage-and-processing thread starts now and loads its modules while this thread
  // loads the daemon's (about half of the start-up time otherwise). Its log lines come formatted,
  // for this thread's logger to write as they are (one writer on fd 1: lines never interleave).
  // On the daemon thread, the process's main thread (idle otherwise) runs the WAL's checkpoints once
  // the schema is in place, not the processing thread inside a COMMIT (wal-checkpoints.ts).
  const path = config.runs.database.startsWith('sqlite:') ? config.runs.database.slice('sqlite:'.length) : null;
  const external = path !== null && path !== ':memory:' && !isMainThread && parentPort !== null;
  const thread = path !== null ? spawnProcessingThread(path, config, { logs: 'lines', checkpoints: external ? 'external' : 'own' }) : undefined;
  if (thread && external) void thread.migrated.then(() => parentPort!.postMessage(walCheckpointRequest(resolve(path!))), () => undefined);
  const { runDaemonProcess } = await import('../runtime/process.ts');
  try {
    return await runDaemonProcess({ config, file, io, extra: thread && { thread }, hupBefore: () => hup });
  } finally {
    process.off('SIGHUP', onHup);
  }
}
