// Shared option parsing for the commands: node:util parseArgs with `-c FILE` (default ./monitor.yaml).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs(args: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } | { error: string } {
  try {
    const r = parseArgs({ args, options: { config: { type: 'string', short: 'c' }, ...options }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
