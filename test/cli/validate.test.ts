import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { run } from '../../src/cli/validate.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURES = 'test/fixtures/config';
const INVALID = `${FIXTURES}/invalid.yaml`;
const INVALID_LINES = [
  `${INVALID}:9:3 webhook: unknown key "secrett" (did you mean "secret"?)`,
  `${INVALID}:17:20 repos[0].notify[1]: unknown room "alerts" (matrix.rooms has: news)`,
  `${INVALID}:18:23 rate_limit.window: must be a duration such as 60s, 5m or 1h (units ms, s, m, h, d)`,
];

/** The real CLI as CI runs it: `node bin/monitor.js validate ...`. */
function cli(args: string[], cwd = ROOT, env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/monitor.js'), 'validate', ...args], { cwd, env: { PATH: process.env.PATH, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** In process, for the many small argument cases. */
async function inProcess(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env, cwd };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

let empty: string;
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'monitor-validate-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe('monitor validate (child process)', () => {
  it('exits 0 for the example monitor.yaml, the default file', async () => {
    expect(await cli([])).toEqual({ code: 0, stdout: 'monitor.yaml: valid\n', stderr: '' });
  });

  it('exits 1 and prints every problem as FILE:LINE:COL message, the count on stderr', async () => {
    expect(await cli([INVALID])).toEqual({ code: 1, stdout: INVALID_LINES.join('\n') + '\n', stderr: `${INVALID}: 3 problems\n` });
  });

  it('prints GitHub workflow annotations with --format github', async () => {
    const r = await cli(['--format', 'github', INVALID]);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `::error file=${INVALID},line=9,col=3::webhook: unknown key "secrett" (did you mean "secret"?)`,
      `::error file=${INVALID},line=17,col=20::repos[0].notify[1]: unknown room "alerts" (matrix.rooms has: news)`,
      `::error file=${INVALID},line=18,col=23::rate_limit.window: must be a duration such as 60s, 5m or 1h (units ms, s, m, h, d)`,
    ]);
  });

  it('exits 2 when the file cannot be read', async () => {
    expect(await cli(['nope.yaml'])).toEqual({ code: 2, stdout: '', stderr: 'monitor validate: nope.yaml: cannot read: no such file\n' });
    expect(await cli([], empty)).toEqual({ code: 2, stdout: '', stderr: 'monitor validate: monitor.yaml: cannot read: no such file\n' });
  });

  it('resolves secrets with --resolve from the environment and files', async () => {
    const env = { FIXTURE_GITEA_TOKEN: 'x', FIXTURE_MATRIX_TOKEN: 'y' };
    expect(await cli(['--resolve', `${FIXTURES}/valid.yaml`], ROOT, env)).toMatchObject({ code: 0, stdout: `${FIXTURES}/valid.yaml: valid (secrets resolved)\n` });
    expect(await cli(['--resolve', `${FIXTURES}/valid.yaml`], ROOT, { FIXTURE_GITEA_TOKEN: 'x' })).toEqual({
      code: 1,
      stdout: `${FIXTURES}/valid.yaml:12:17 matrix.access_token: environment variable FIXTURE_MATRIX_TOKEN is not set\n`,
      stderr: `${FIXTURES}/valid.yaml: 1 problem\n`,
    });
  });
});

describe('monitor validate (arguments)', () => {
  it('checks shape and meaning without reading secrets by default', async () => {
    expect(await inProcess([`${FIXTURES}/valid.yaml`])).toEqual({ code: 0, stdout: `${FIXTURES}/valid.yaml: valid\n`, stderr: '' });
  });

  it('takes -c FILE like every other command, and a file relative to the working folder', async () => {
    expect((await inProcess(['-c', INVALID])).code).toBe(1);
    expect((await inProcess(['invalid.yaml'], {}, join(ROOT, FIXTURES))).stdout).toContain('invalid.yaml:9:3 webhook: unknown key');
  });

  it('uses ./monitor.yaml of the working folder by default', async () => {
    await copyFile(join(ROOT, INVALID), join(empty, 'monitor.yaml'));
    const r = await inProcess([], {}, empty);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('monitor.yaml:9:3 webhook: unknown key "secrett" (did you mean "secret"?)');
    await rm(join(empty, 'monitor.yaml'));
  });

  it('exits 2 for a folder', async () => {
    expect(await inProcess([FIXTURES])).toEqual({ code: 2, stdout: '', stderr: `monitor validate: ${FIXTURES}: cannot read: is a folder, not a file\n` });
  });

  it('annotates an unreadable file in github format too', async () => {
    const r = await inProcess(['--format=github', 'nope.yaml']);
    expect(r).toMatchObject({ code: 2, stdout: '::error title=monitor validate::nope.yaml: cannot read: no such file\n' });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--format', 'xml', INVALID], '--format must be text or github, not "xml"'],
    [['a.yaml', 'b.yaml'], 'give one file'],
    [['-c', 'a.yaml', 'b.yaml'], 'give one file'],
  ])('exits 2 with a usage line for %j', async (args, why) => {
    const r = await inProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(why);
    expect(r.stderr).toContain('usage: monitor validate [FILE] [--format text|github] [--resolve]');
  });

  it('escapes percent signs in annotations (the runner decodes %25)', async () => {
    const r = await inProcess(['--format', 'github', `${FIXTURES}/annotation.yaml`]);
    expect(r.code).toBe(1);
    // An escaped double-quoted template: its inner position cannot be mapped, so it is named.
    expect(r.stdout).toBe(
      '::error file=test/fixtures/config/annotation.yaml,line=6,col=28::templates.push.text: template does not compile: ' +
        'output "{{ 100%25\\nnext" not closed (line 1, col 1 of the value)\n',
    );
  });
});

describe('monitor validate (what reconcile and the daemon would refuse later)', () => {
  /** valid.yaml with one line replaced, validated from a temp file. */
  async function validateWith(find: string, replace: string) {
    const text = await readFile(join(ROOT, FIXTURES, 'valid.yaml'), 'utf8');
    if (!text.includes(find)) throw new Error(`test bug: ${find} not in valid.yaml`);
    await writeFile(join(empty, 'edited.yaml'), text.replace(find, replace));
    return inProcess(['edited.yaml'], {}, empty);
  }

  it('rejects an owner glob at its position: reconcile expands a rule over one named owner only', async () => {
    const r = await validateWith('  - match: dataforge/*', '  - match: "*/api"');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('edited.yaml:16:12 repos[0].match: the owner "*" must be a plain name, not a glob: write one rule per owner (e.g. dataforge/api)\n');
    expect((await validateWith('  - match: dataforge/*', '  - match: "data{forge,ops}/*"')).stdout).toContain('repos[0].match: the owner "data{forge,ops}" must be a plain name');
    expect((await validateWith('  - match: dataforge/*', '  - match: dataforge/*\n    exclude: ["*/sandbox-*"]')).code).toBe(0); // excludes only filter
  });

  it('bounds every duration: 30d for reconcile.interval would overflow setTimeout and loop', async () => {
    const r = await validateWith('    notify: [news]', '    notify: [news]\nreconcile: { interval: 30d }\nrate_limit: { window: 0s }');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('edited.yaml:18:24 reconcile.interval: must be at most 1d (got 30d)\nedited.yaml:19:23 rate_limit.window: must be longer than 0\n');
    const g = await validateWith('  homeserver: https://matrix.example.com', '  homeserver: https://matrix.example.com\n  give_up_after: 30d');
    expect(g.stdout).toBe('edited.yaml:12:18 matrix.give_up_after: must be at most 7d (got 30d)\n');
    const t = await validateWith('  url: https://git.example.com', '  url: https://git.example.com\n  timeout: 25d');
    expect(t.stdout).toBe('edited.yaml:6:12 gitea.timeout: must be at most 10m (got 25d)\n');
    expect((await validateWith('    notify: [news]', '    notify: [news]\nreconcile: { interval: 1d }\nserver: { drain_timeout: 0s }')).code).toBe(0);
  });
});
