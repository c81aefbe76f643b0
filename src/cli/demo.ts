// `monitor demo [--exit] [--window 10s]`: the daemon against the built-in sandbox Gitea and homeserver.
import type { CliIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { runDemo } from '../sandbox/demo.ts';
import { parseDuration } from '../duration.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  const a = parseCommandArgs(args, { exit: { type: 'boolean' }, window: { type: 'string' } });
  if ('error' in a) {
    io.stderr(`monitor demo: ${a.error}\nUsage: monitor demo [--exit] [--window 10s]\n`);
    return 1;
  }
  const window = String(a.values.window ?? '10s');
  try {
    parseDuration(window);
  } catch (e) {
    io.stderr(`monitor demo: --window: ${(e as Error).message}\n`);
    return 1;
  }
  return runDemo(io, { exit: !!a.values.exit, window });
}
