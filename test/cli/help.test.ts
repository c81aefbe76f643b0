// CLI conventions: -h/--help on every command (before it loads anything), --version.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { VERSION } from '../../src/version.ts';

const BIN = fileURLToPath(new URL('../../bin/monitor.js', import.meta.url));
const COMMANDS = ['validate', 'plan', 'apply', 'serve', 'demo', 'runs', 'retry'];

async function inProcess(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: '/nonexistent' };
  return { code: await main(argv, io), stdout, stderr };
}

describe('monitor <command> --help', () => {
  it.each(COMMANDS.flatMap((c) => [[c, '--help'], [c, '-h']]))('%s %s prints its usage and exits 0 without reading a config', async (cmd, flag) => {
    const r = await inProcess([cmd, '-c', 'missing.yaml', flag]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^Usage: monitor ${cmd} `));
    expect(await inProcess(['help', cmd])).toEqual(r);
  });

  it('the real CLI: `monitor plan --help` (it said "Unknown option" before) and --version', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((done) => execFile(process.execPath, [BIN, ...args], (err, stdout) => done({ code: err ? Number(err.code) : 0, stdout })));
    const plan = await run(['plan', '--help']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Usage: monitor plan [-c FILE] [--json] [--allow-mass-delete]');
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n` });
  });

  it('an option after -- is an argument, not a help request', async () => {
    const r = await inProcess(['retry', '-c', 'missing.yaml', '--', '-h']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });
});
