// `monitor validate [FILE] [--format text|github] [--resolve]`: checks monitor.yaml for CI.
// Exit 0 valid, 1 invalid, 2 cannot read the file (or bad arguments).
import { parseArgs } from 'node:util';
import { loadConfig, type Problem } from '../config/load.ts';
import type { CliIO } from './io.ts';

const USAGE = 'usage: monitor validate [FILE] [--format text|github] [--resolve]';

export async function run(args: string[], io: CliIO): Promise<number> {
  let file: string;
  let format: 'text' | 'github';
  let resolveSecrets: boolean;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        resolve: { type: 'boolean', default: false },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (values.format !== 'text' && values.format !== 'github') throw new Error(`--format must be text or github, not "${values.format}"`);
    if (positionals.length + (values.config === undefined ? 0 : 1) > 1) throw new Error('give one file');
    file = values.config ?? positionals[0] ?? 'monitor.yaml';
    format = values.format;
    resolveSecrets = values.resolve;
  } catch (e) {
    io.stderr(`monitor validate: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }

  const result = await loadConfig(file, { env: io.env, cwd: io.cwd, resolveSecrets });
  if (result.ok) {
    io.stdout(`${file}: valid${resolveSecrets ? ' (secrets resolved)' : ''}\n`);
    return 0;
  }
  if (result.unreadable) {
    const message = result.problems[0]?.message ?? 'cannot read';
    if (format === 'github') io.stdout(`::error title=monitor validate::${escapeData(`${file}: ${message}`)}\n`);
    io.stderr(`monitor validate: ${file}: ${message}\n`);
    return 2;
  }
  for (const p of result.problems) io.stdout(format === 'github' ? githubLine(p) : `${p.file}:${p.line}:${p.col} ${p.message}\n`);
  const n = result.problems.length;
  io.stderr(`${file}: ${n} problem${n === 1 ? '' : 's'}\n`);
  return 1;
}

/** A GitHub Actions workflow command: the annotation lands on the file's line in the PR. */
function githubLine(p: Problem): string {
  return `::error file=${escapeProperty(p.file)},line=${p.line},col=${p.col}::${escapeData(p.message)}\n`;
}

// Escaping as the Actions runner decodes it (toolkit's command.ts).
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
