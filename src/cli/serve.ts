// `monitor serve [-c FILE]`: the daemon until SIGTERM/SIGINT, then drain and exit 0.
import type { CliIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { loadForCommand } from './load.ts';
import { runDaemonProcess } from '../runtime/process.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  const a = parseCommandArgs(args, {});
  if ('error' in a) {
    io.stderr(`monitor serve: ${a.error}\nUsage: monitor serve [-c FILE]\n`);
    return 1;
  }
  const file = String(a.values.config ?? 'monitor.yaml');
  const config = await loadForCommand(file, io);
  if (!config) return 1;
  return runDaemonProcess({ config, file, io });
}
