// `{pass: path}` against the real `pass` and gpg, with a throw-away key in a temporary GNUPGHOME
// and a temporary store (PASSWORD_STORE_DIR): nothing of the machine's own keys is touched.
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';

const run = promisify(execFile);
const TOKEN = 'pass-0a1b2c-leakcheck-token';
const WEBHOOK = 'pass-3d4e5f-leakcheck-webhook';

const config = (matrixPath: string) => `version: 1
gitea: { url: https://git.example.com, token: { pass: registry/api-token } }
webhook: { public_url: https://monitor.example.com/webhook/gitea, secret: { pass: gitea/webhook-secret } }
matrix: { homeserver: https://matrix.example.com, access_token: { pass: ${matrixPath} }, rooms: { news: "#news:example.com" } }
repos: [{ match: dataforge/*, notify: [news] }]
`;

let home: string;
let env: Record<string, string | undefined>;

function insert(path: string, value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('pass', ['insert', '-m', path], { env }, (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(value);
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'monitor-pass-'));
  const gnupg = join(home, 'gnupg');
  await mkdir(gnupg, { mode: 0o700 });
  env = { ...process.env, GNUPGHOME: gnupg, PASSWORD_STORE_DIR: join(home, 'store') };
  // One key per file: generation is the slow part (gpg's default algorithms are quick ones).
  await run('gpg', ['--batch', '--passphrase', '', '--quick-gen-key', 'test@example.invalid', 'default', 'default', 'never'], { env });
  await run('pass', ['init', 'test@example.invalid'], { env });
  await insert('registry/api-token', `${TOKEN}\nuser: registry-bot\nurl: https://git.example.com\n`);
  await insert('gitea/webhook-secret', `${WEBHOOK}\n`);
  await insert('matrix/bot', 'mx-token\n');
  await writeFile(join(home, 'monitor.yaml'), config('matrix/bot'));
  await writeFile(join(home, 'broken.yaml'), config('matrix/nope'));
}, 20_000);

afterAll(async () => {
  // Stop the gpg-agent that this test's GNUPGHOME started, then remove everything.
  try {
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

describe('pass secret source (real pass + gpg)', () => {
  it('uses the first line of `pass show` as the secret', async () => {
    const r = await loadConfig('monitor.yaml', { env, cwd: home, resolveSecrets: true });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.gitea.token.reveal()).toBe(TOKEN);
    expect(r.config.webhook.secret.reveal()).toBe(WEBHOOK);
    expect(r.config.matrix.accessToken!.reveal()).toBe('mx-token');
    for (const text of [JSON.stringify(r), inspect(r, { depth: Infinity, showHidden: true })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(WEBHOOK);
    }
  });

  it('reports a missing entry by its pass path at its place, and no value decrypted alongside', async () => {
    const r = await loadConfig('broken.yaml', { env, cwd: home, resolveSecrets: true });
    expect(r).toEqual({
      ok: false,
      problems: [{ file: 'broken.yaml', line: 4, col: 65, message: 'matrix.access_token: pass show matrix/nope failed: Error: matrix/nope is not in the password store.' }],
    });
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('refuses a pass path that is a folder, not an entry (pass would print the folder name as the secret)', async () => {
    await writeFile(join(home, 'folder.yaml'), config('matrix'));
    expect((await run('pass', ['show', 'matrix'], { env })).stdout.split('\n')[0]).toBe('matrix'); // what was taken as the secret
    const r = await loadConfig('folder.yaml', { env, cwd: home, resolveSecrets: true });
    expect(r).toEqual({
      ok: false,
      problems: [{ file: 'folder.yaml', line: 4, col: 65, message: 'matrix.access_token: pass path matrix is a folder of the password store, not an entry (it holds: bot)' }],
    });
    await writeFile(join(home, 'folder2.yaml'), config('matrix/'));
    const r2 = await loadConfig('folder2.yaml', { env, cwd: home, resolveSecrets: true });
    expect(r2.problems.map((p) => p.message)).toEqual(['matrix.access_token: pass path matrix/ is a folder of the password store, not an entry (it holds: bot)']);
  });

  it('fails without the key (wrong GNUPGHOME), naming the path and gpg\'s reason', async () => {
    const empty = join(home, 'other-gnupg');
    await mkdir(empty, { mode: 0o700 });
    const r = await loadConfig('monitor.yaml', { env: { ...env, GNUPGHOME: empty }, cwd: home, resolveSecrets: true });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^gitea\.token: pass show registry\/api-token failed: gpg: decryption failed: No secret key$/),
      expect.stringMatching(/^webhook\.secret: pass show gitea\/webhook-secret failed: gpg: decryption failed: No secret key$/),
      expect.stringMatching(/^matrix\.access_token: pass show matrix\/bot failed: gpg: decryption failed: No secret key$/),
    ]);
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...env, GNUPGHOME: empty }, stdio: 'ignore' });
  });
});
