// `monitor serve` on the daemon thread (runtime/daemon-thread.ts): the config, the storage thread
// and the daemon until SIGTERM/SIGINT, then drain and exit 0.
import type { CliIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { loadForCommand } from './load.ts';
import { spawnProcessingThread } from '../runtime/processing-client.ts';

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
  // loads the daemon's (about half of the start-up time otherwise). Its log lines go to fd 1 as this
  // thread's do (threadIO), not as a message each through this thread's logger.
  const thread = config.runs.database.startsWith('sqlite:') ? spawnProcessingThread(config.runs.database.slice('sqlite:'.length), config, { fd: 1 }) : undefined;
  const { runDaemonProcess } = await import('../runtime/process.ts');
  try {
    return await runDaemonProcess({ config, file, io, extra: thread && { thread }, hupBefore: () => hup });
  } finally {
    process.off('SIGHUP', onHup);
  }
}
