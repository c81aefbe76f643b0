// adnanh/webhook (Debian package `webhook`) as the peer: one hook whose trigger rule is a
// payload-hmac-sha256 match on X-Gitea-Signature, executing /bin/true. Installed with apt-get if
// missing and we are root; otherwise the bench reports why it has no number.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './serve.ts';

const BIN = '/usr/bin/webhook';

export interface Webhook { url: string; version: string; stop(): Promise<void> }

/** The binary, installing the Debian package when possible; a reason string when not. */
export function ensureWebhook(): { ok: true; version: string } | { ok: false; reason: string } {
  if (!existsSync(BIN)) {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'webhook not installed (apt-get install webhook needs root)' };
    const apt = (...a: string[]) => spawnSync('apt-get', a, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 180_000 });
    let r = apt('install', '-y', '-q', 'webhook');
    // A fresh machine may have no package lists yet.
    if (r.status !== 0) (apt('update', '-q'), (r = apt('install', '-y', '-q', 'webhook')));
    if (r.status !== 0 || !existsSync(BIN)) return { ok: false, reason: `apt-get install webhook failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
  }
  const v = spawnSync(BIN, ['-version'], { encoding: 'utf8' });
  return { ok: true, version: (v.stdout.trim().split(' ').pop() ?? '?') };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function startWebhook(secret: string, version: string): Promise<Webhook> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-webhook-'));
  const hooks = join(dir, 'hooks.json');
  writeFileSync(hooks, JSON.stringify([
    {
      id: 'gitea',
      'execute-command': '/bin/true',
      'http-methods': ['POST'],
      'success-http-response-code': 202,
      'response-message': 'accepted',
      'trigger-rule-mismatch-http-response-code': 401,
      'trigger-rule': { match: { type: 'payload-hmac-sha256', secret, parameter: { source: 'header', name: 'X-Gitea-Signature' } } },
    },
  ], null, 2));
  const port = await freePort();
  const child: ChildProcess = spawn(BIN, ['-hooks', hooks, '-ip', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  const end = performance.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || performance.now() > end) {
      child.kill('SIGKILL');
      throw new Error('adnanh/webhook did not start listening');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    url: `http://127.0.0.1:${port}/hooks/gitea`,
    version,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
