// Kit of the plan/apply CLI tests (plan-apply*.test.ts): `monitor plan` / `monitor apply` through
// the real CLI (node bin/monitor.js, a child process) against a Gitea stand-in started per test;
// the config file lives in a temp folder and its secrets come from the child's environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { createGiteaSandbox, type GiteaSandbox } from '../../src/sandbox/gitea/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/monitor.js');
export const TOKEN = 'gitea-token-7f3a9c21';
export const SECRET = 'hook-secret-alpha-0192';
export const PUBLIC_URL = 'http://127.0.0.1:9/webhook/gitea';
export const FOREIGN_URL = 'https://ci.example.com/hooks/gitea';

interface Rule { match: string; exclude?: string[]; scope?: 'org' }
interface Run { code: number; stdout: string; stderr: string }

/** One stand-in, one temp folder and the helpers around them; each test gets its own. */
export async function setup(onFinished: (fn: () => Promise<void>) => void) {
  const sandbox: GiteaSandbox = createGiteaSandbox({ token: TOKEN });
  const server = await sandbox.listen();
  const dir = mkdtempSync(join(tmpdir(), 'monitor-plan-'));
  onFinished(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  sandbox.addOrg('dataforge');
  for (const r of ['api', 'web', 'cli', 'sandbox-1']) await sandbox.addRepo(`dataforge/${r}`);
  const secretsSeen = [TOKEN, SECRET];

  function writeConfig(rules: Rule[], opts: { prune?: boolean } = {}): void {
    const repos = rules.map((r) => `  - match: ${r.match}\n    notify: [news]\n${r.exclude ? `    exclude: [${r.exclude.join(', ')}]\n` : ''}${r.scope ? `    scope: ${r.scope}\n` : ''}`).join('');
    writeFileSync(join(dir, 'monitor.yaml'), `version: 1
gitea:
  url: ${server.url}
  token: { env: GITEA_TOKEN }
webhook:
  public_url: ${PUBLIC_URL}
  secret: { env: HOOK_SECRET }
  events: [push, create, delete, release]
matrix:
  homeserver: http://127.0.0.1:9
  access_token: { env: MATRIX_TOKEN }
  rooms: { news: "#news:example.com" }
repos:
${repos}state: { driver: fs, base: ./state }
reconcile: { interval: 5m, prune: ${opts.prune ?? true} }
`);
  }

  /** Runs the CLI; every output is checked for the token and every secret used so far. */
  function monitor(args: string[], env: Record<string, string> = {}): Promise<Run> {
    secretsSeen.push(...Object.values(env));
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [BIN, ...args, '-c', join(dir, 'monitor.yaml')], {
        env: { PATH: process.env.PATH ?? '', GITEA_TOKEN: TOKEN, HOOK_SECRET: SECRET, MATRIX_TOKEN: 'matrix-token', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => {
        for (const s of secretsSeen) {
          expect(stdout).not.toContain(s);
          expect(stderr).not.toContain(s);
        }
        done({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  async function api(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `token ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  }

  const ours = (repo: string) => sandbox.hooks(repo).filter((h) => h.url === PUBLIC_URL);
  const writes = () => sandbox.apiCalls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);

  /** The usual start: three globbed repos, one excluded, a foreign hook on api; applied once. */
  async function firstApply(): Promise<Run> {
    await api('POST', '/repos/dataforge/api/hooks', { type: 'gitea', config: { url: FOREIGN_URL, content_type: 'json' }, events: ['push'], active: true });
    writeConfig([{ match: 'dataforge/*', exclude: ['dataforge/sandbox-*'] }]);
    return monitor(['apply']);
  }

  return { sandbox, writeConfig, monitor, api, ours, writes, firstApply };
}

