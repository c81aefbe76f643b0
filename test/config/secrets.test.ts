import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadResult } from '../../src/config/load.ts';
import { resolveSecret } from '../../src/config/secrets.ts';

// Each value is distinctive so a leak anywhere is found by a plain substring search.
const VALUES = {
  GITEA_TOKEN: 'gt-0123-leakcheck-gitea',
  MATRIX_TOKEN: 'mx-4567-leakcheck-matrix',
  OLD_SECRET: 'old-89ab-leakcheck-previous',
  DASH_TOKEN: 'db-cdef-leakcheck-dashboard',
  file: 'wh-2468-leakcheck-webhook',
  trigger: 'tr-1357-leakcheck-trigger',
};

const CONFIG = `version: 1
gitea: { url: https://git.example.com, token: { env: GITEA_TOKEN } }
webhook:
  public_url: https://monitor.example.com/webhook/gitea
  secret: { file: secrets/webhook }
  previous_secrets: [{ env: OLD_SECRET }]
matrix: { homeserver: https://matrix.example.com, access_token: { env: MATRIX_TOKEN }, rooms: { news: "#news:example.com" } }
repos: [{ match: dataforge/*, notify: [news] }]
triggers: [{ name: dag, url: "http://dag.internal/t", secret: { pass: dag/secret } }]
dashboard: { auth: { token: { env: DASH_TOKEN } } }
`;

let dir: string;
let fakePass: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'monitor-secrets-'));
  await mkdir(join(dir, 'conf/secrets'), { recursive: true });
  await writeFile(join(dir, 'conf/monitor.yaml'), CONFIG);
  await writeFile(join(dir, 'conf/secrets/webhook'), `${VALUES.file}\n`);
  // A stand-in for pass: prints the secret for dag/secret; for anything else it prints a value
  // on stdout *and* fails, so a test can prove stdout never reaches a message.
  fakePass = join(dir, 'fake-pass');
  await writeFile(fakePass, `#!/bin/sh\nif [ "$2" = "dag/secret" ]; then printf '%s\\nsecond line\\n' "${VALUES.trigger}"; exit 0; fi\necho "${VALUES.trigger}"\necho "Error: $2 is not in the password store." >&2\nexit 1\n`);
  await chmod(fakePass, 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = { GITEA_TOKEN: VALUES.GITEA_TOKEN, MATRIX_TOKEN: VALUES.MATRIX_TOKEN, OLD_SECRET: VALUES.OLD_SECRET, DASH_TOKEN: VALUES.DASH_TOKEN };
const load = (e: Record<string, string | undefined>, passCommand = fakePass, file = 'conf/monitor.yaml') =>
  loadConfig(file, { env: e, cwd: dir, resolveSecrets: true, passCommand });
const ctx = () => ({ env: {} as Record<string, string | undefined>, dir, passCommand: fakePass });

function expectNoValue(text: string) {
  for (const v of Object.values(VALUES)) expect(text).not.toContain(v);
}

describe('secret sources', () => {
  it('resolves env, file (relative to the config folder, one newline dropped) and pass (first line)', async () => {
    const r = await load(env);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const c = r.config;
    expect(c.gitea.token.reveal()).toBe(VALUES.GITEA_TOKEN);
    expect(c.webhook.secret.reveal()).toBe(VALUES.file);
    expect(c.webhook.previousSecrets.map((s) => s.reveal())).toEqual([VALUES.OLD_SECRET]);
    expect(c.matrix.accessToken!.reveal()).toBe(VALUES.MATRIX_TOKEN);
    expect(c.triggers[0]!.secret.reveal()).toBe(VALUES.trigger);
    expect(c.dashboard.token?.reveal()).toBe(VALUES.DASH_TOKEN);
  });

  it('never shows a secret value when the config is serialised, inspected or printed', async () => {
    const r = await load(env);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expectNoValue(JSON.stringify(r));
    expectNoValue(inspect(r, { depth: Infinity, showHidden: true }));
    expectNoValue(`${r.config.gitea.token} ${String(r.config.triggers[0]!.secret)}`);
    expect(JSON.stringify(r.config.gitea)).toContain('"token":"[redacted]"');
  });

  it('reports every unresolvable source at its place, naming the setting and the source, never a value', async () => {
    const r = await load({ MATRIX_TOKEN: VALUES.MATRIX_TOKEN, OLD_SECRET: '', GITEA_TOKEN: VALUES.GITEA_TOKEN }, fakePass, 'conf/monitor.yaml');
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { file: 'conf/monitor.yaml', line: 6, col: 22, message: 'webhook.previous_secrets[0]: environment variable OLD_SECRET is empty' },
      { file: 'conf/monitor.yaml', line: 10, col: 29, message: 'dashboard.auth.token: environment variable DASH_TOKEN is not set' },
    ]);
  });

  it('says which file is missing, relative as written', async () => {
    const r = await resolveSecret({ file: 'secrets/nope' }, 'webhook.secret', { ...ctx(), dir: join(dir, 'conf') });
    expect(r).toEqual({ ok: false, message: 'webhook.secret: cannot read secret file secrets/nope (no such file)' });
  });

  it('treats an empty secret file as a problem', async () => {
    await writeFile(join(dir, 'empty'), '\n');
    expect(await resolveSecret({ file: 'empty' }, 's', ctx())).toEqual({ ok: false, message: 's: secret file empty is empty' });
  });

  it('keeps all but one trailing newline of a file', async () => {
    await writeFile(join(dir, 'two-newlines'), 'abc\n\n');
    const r = await resolveSecret({ file: 'two-newlines' }, 's', ctx());
    expect(r.ok && r.secret.reveal()).toBe('abc\n');
  });

  it('reports a failing pass with its stderr, never its stdout', async () => {
    const r = await resolveSecret({ pass: 'missing/entry' }, 'gitea.token', ctx());
    expect(r).toEqual({ ok: false, message: 'gitea.token: pass show missing/entry failed: Error: missing/entry is not in the password store.' });
    expectNoValue(JSON.stringify(r));
  });

  it('reports a missing pass command', async () => {
    const r = await resolveSecret({ pass: 'x' }, 'gitea.token', { ...ctx(), passCommand: join(dir, 'no-such-pass') });
    expect(r).toEqual({ ok: false, message: `gitea.token: pass show x failed: command "${join(dir, 'no-such-pass')}" not found` });
  });

  it('gives up on a pass that does not answer (gpg waiting for a passphrase)', async () => {
    const slow = join(dir, 'slow-pass');
    await writeFile(slow, '#!/bin/sh\nexec sleep 10\n');
    await chmod(slow, 0o755);
    const r = await resolveSecret({ pass: 'x' }, 'gitea.token', { ...ctx(), passCommand: slow, passTimeoutMs: 200 });
    expect(r).toEqual({ ok: false, message: 'gitea.token: pass show x failed: no answer within 0.2s (is gpg waiting for a passphrase?)' });
  });

  it('passes the path as one argument, never through a shell', async () => {
    const r = await resolveSecret({ pass: 'a b; echo pwned' }, 's', ctx());
    expect(r).toEqual({ ok: false, message: 's: pass show a b; echo pwned failed: Error: a b; echo pwned is not in the password store.' });
  });

  it('does not read any secret without resolveSecrets', async () => {
    const r: LoadResult = await loadConfig('conf/monitor.yaml', { env: {}, cwd: dir, resolveSecrets: false, passCommand: join(dir, 'no-such-pass') });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect([r.config.gitea.token.reveal(), r.config.webhook.secret.reveal(), r.config.triggers[0]!.secret.reveal()]).toEqual(['', '', '']);
  });
});
