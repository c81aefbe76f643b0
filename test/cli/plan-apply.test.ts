// `monitor plan` / `monitor apply` through the real CLI (node bin/monitor.js, a child process)
// against the Gitea stand-in started here; the config file lives in a temp folder and its
// secrets come from the child's environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGiteaSandbox, type GiteaSandbox } from '../../src/sandbox/gitea/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/monitor.js');
const TOKEN = 'gitea-token-7f3a9c21';
const SECRET = 'hook-secret-alpha-0192';
const PUBLIC_URL = 'http://127.0.0.1:9/webhook/gitea';
const FOREIGN_URL = 'https://ci.example.com/hooks/gitea';

interface Rule { match: string; exclude?: string[]; scope?: 'org' }
interface Run { code: number; stdout: string; stderr: string }

/** One stand-in, one temp folder and the helpers around them; each test gets its own. */
async function setup(onFinished: (fn: () => Promise<void>) => void) {
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

// Sequential: each test spawns several CLI processes; run together on 2 cores they starved each
// other past the test timeout.
describe('monitor plan / apply against the Gitea stand-in', () => {
  it('first apply: 3 globbed repos, one excluded, a foreign hook left alone; then plan is empty', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    await api('POST', '/repos/dataforge/api/hooks', { type: 'gitea', config: { url: FOREIGN_URL, content_type: 'json' }, events: ['push'], active: true });
    writeConfig([{ match: 'dataforge/*', exclude: ['dataforge/sandbox-*'] }]);
    const plan = await monitor(['plan']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('  + dataforge/api\n');
    expect(plan.stdout).toMatch(/  ! dataforge\/api #1\n      foreign hook left alone \(gitea → https:\/\/ci\.example\.com \(url #[0-9a-f]{8}\)\)/);
    expect(plan.stdout).not.toContain('/hooks/gitea'); // the foreign hook's path may hold a token
    expect(plan.stdout).toContain('Plan: 3 to create, 0 to update, 0 to delete, 1 foreign hook left alone.');
    expect(writes()).toEqual(['POST /api/v1/repos/dataforge/api/hooks']); // plan wrote nothing

    const applied = await monitor(['apply']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 3 created, 0 updated, 0 deleted, 0 rotated.');
    for (const r of ['api', 'web', 'cli']) {
      expect(ours(`dataforge/${r}`)).toEqual([expect.objectContaining({ active: true, secret: SECRET, contentType: 'json', events: ['create', 'delete', 'push', 'release'] })]);
    }
    expect(sandbox.hooks('dataforge/sandbox-1')).toEqual([]);
    expect(sandbox.hooks('dataforge/api').find((h) => h.url === FOREIGN_URL)).toMatchObject({ id: 1, events: ['push'] });

    const again = await monitor(['plan']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. Hooks match monitor.yaml.');
  });

  it('repairs drift: events changed, a hook deactivated, a hook deleted behind our back', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    const [api1] = ours('dataforge/api');
    const [web1] = ours('dataforge/web');
    const [cli1] = ours('dataforge/cli');
    await api('PATCH', `/repos/dataforge/api/hooks/${api1!.id}`, { config: { url: PUBLIC_URL, content_type: 'json' }, events: ['push'], active: true });
    await api('PATCH', `/repos/dataforge/web/hooks/${web1!.id}`, { events: ['push', 'create', 'delete', 'release'], active: false });
    await api('DELETE', `/repos/dataforge/cli/hooks/${cli1!.id}`);

    const plan = await monitor(['plan']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`  ~ dataforge/api #${api1!.id}\n      events: [push] → [create, delete, push, release]\n`);
    expect(plan.stdout).toContain(`  ~ dataforge/web #${web1!.id}\n      active: false → true\n`);
    expect(plan.stdout).toContain('  + dataforge/cli\n');
    expect(plan.stdout).toContain('Plan: 1 to create, 2 to update, 0 to delete, 1 foreign hook left alone.');

    expect((await monitor(['apply'])).code).toBe(0);
    expect(ours('dataforge/api')[0]).toMatchObject({ id: api1!.id, events: ['create', 'delete', 'push', 'release'] });
    expect(ours('dataforge/web')[0]).toMatchObject({ id: web1!.id, active: true });
    expect(ours('dataforge/cli')).toHaveLength(1);
    expect((await monitor(['plan'])).code).toBe(0);
  });

  it('removes a duplicate of our hook', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    const [keep] = ours('dataforge/web');
    const dup = (await api('POST', '/repos/dataforge/web/hooks', { type: 'gitea', config: { url: PUBLIC_URL, content_type: 'json', secret: 'x' }, events: ['push', 'create', 'delete', 'release'], active: true })) as { id: number };
    const plan = await monitor(['plan']);
    expect(plan.stdout).toContain(`  - dataforge/web #${dup.id}\n      delete (extra copy of our hook)`);
    expect((await monitor(['apply'])).code).toBe(0);
    expect(ours('dataforge/web').map((h) => h.id)).toEqual([keep!.id]);
  });

  it('deletes our hook from a newly excluded repo and leaves the foreign one', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    writeConfig([{ match: 'dataforge/*', exclude: ['dataforge/sandbox-*', 'dataforge/api'] }]);
    const [gone] = ours('dataforge/api');
    const plan = await monitor(['plan']);
    expect(plan.stdout).toContain(`  - dataforge/api #${gone!.id}\n      delete (repository no longer declared)`);
    const applied = await monitor(['apply']);
    expect(applied.code).toBe(0);
    expect(sandbox.hooks('dataforge/api').map((h) => h.url)).toEqual([FOREIGN_URL]);
    expect((await monitor(['plan'])).stdout).toContain('No changes.');
  });

  it('a 500 on one repo\'s hook listing: nothing deleted anywhere, creates still done, exit 1', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    await sandbox.addRepo('dataforge/new');
    writeConfig([{ match: 'dataforge/*', exclude: ['dataforge/sandbox-*', 'dataforge/web'] }]);
    sandbox.failNext('GET', /^\/api\/v1\/repos\/dataforge\/cli\/hooks$/, 500, 4); // the first try and 3 retries
    const applied = await monitor(['apply']);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('Deletions held back because the listing from Gitea was incomplete:');
    expect(applied.stdout).toContain('Error: cannot list the hooks of dataforge/cli: Gitea answered 500');
    expect(applied.stderr).toContain('the listing from Gitea was incomplete: creates and updates were applied, no hook was deleted');
    expect(ours('dataforge/web')).toHaveLength(1);
    expect(ours('dataforge/new')).toHaveLength(1);
    expect(writes().filter((w) => w.startsWith('DELETE'))).toEqual([]);
  });

  it('a config that matches no repository fails loudly in plan and apply; --allow-mass-delete carries it out', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    writeConfig([{ match: 'dataforge/nothing-*' }]);
    const why = 'monitor.yaml matches no repository on Gitea (a typo in repos[].match?): all 3 of our 3 hooks would be deleted';
    const plan = await monitor(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(`Mass deletion: ${why}; apply refuses the deletions without --allow-mass-delete.`);
    expect(plan.stderr).toContain(`monitor plan: ${why}`);
    expect((await monitor(['plan', '--allow-mass-delete'])).code).toBe(2);
    const refused = await monitor(['apply']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`monitor apply: refused to delete 3 hooks: ${why}`);
    expect(['api', 'web', 'cli'].map((r) => ours(`dataforge/${r}`).length)).toEqual([1, 1, 1]);
    expect((await monitor(['apply', '--allow-mass-delete'])).code).toBe(0);
    expect(['api', 'web', 'cli'].map((r) => ours(`dataforge/${r}`).length)).toEqual([0, 0, 0]);
    expect(sandbox.hooks('dataforge/api').map((h) => h.url)).toEqual([FOREIGN_URL]);
  });

  it('after an incomplete listing plan never says "No changes" or in_sync, names what failed and exits 1', async ({ onTestFinished }) => {
    const { sandbox, monitor, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    sandbox.failNext('GET', /^\/api\/v1\/repos\/dataforge\/cli\/hooks$/, 500, 4);
    const plan = await monitor(['plan']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).not.toContain('No changes');
    expect(plan.stdout).toContain('Error: cannot list the hooks of dataforge/cli: Gitea answered 500');
    expect(plan.stdout).toContain('Not in sync: nothing to change among what could be listed, but the listing was incomplete.');
    expect(plan.stderr).toContain('the plan is incomplete');
    sandbox.failNext('GET', /^\/api\/v1\/repos\/dataforge\/cli\/hooks$/, 500, 4);
    const json = await monitor(['plan', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ in_sync: false, complete: false, problems: [expect.stringContaining('cannot list the hooks of dataforge/cli')] });
  });

  it('refuses a mass deletion without --allow-mass-delete', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    for (const r of ['a', 'b', 'c']) await sandbox.addRepo(`dataforge/${r}`);
    writeConfig([{ match: 'dataforge/*' }]);
    expect((await monitor(['apply'])).code).toBe(0); // 7 hooks
    writeConfig([{ match: 'dataforge/api' }, { match: 'dataforge/web' }]);
    const refused = await monitor(['apply']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Mass deletion: 5 of our 7 hooks would be deleted (more than 3)');
    expect(refused.stderr).toContain('--allow-mass-delete');
    expect(ours('dataforge/cli')).toHaveLength(1);
    const allowed = await monitor(['apply', '--allow-mass-delete']);
    expect(allowed.code).toBe(0);
    expect(['cli', 'sandbox-1', 'a', 'b', 'c'].map((r) => ours(`dataforge/${r}`).length)).toEqual([0, 0, 0, 0, 0]);
  });

  it('rotates the secret: the new hook is created before the old one is deleted', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    expect((await firstApply()).code).toBe(0);
    const NEW = 'hook-secret-bravo-8841';
    const oldIds = ['api', 'web', 'cli'].map((r) => ours(`dataforge/${r}`)[0]!.id);
    const plan = await monitor(['plan'], { HOOK_SECRET: NEW });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain(`  ± dataforge/api #${oldIds[0]}\n      secret: rotates (a new hook is created first, then #${oldIds[0]} is deleted)`);
    expect(plan.stdout).toContain('3 to rotate');
    const before = sandbox.apiCalls.length;
    expect((await monitor(['apply'], { HOOK_SECRET: NEW })).code).toBe(0);
    for (const [i, r] of ['api', 'web', 'cli'].entries()) {
      const hooks = ours(`dataforge/${r}`);
      expect(hooks).toEqual([expect.objectContaining({ secret: NEW, active: true })]);
      const calls = sandbox.apiCalls.slice(before).map((c) => `${c.method} ${c.path}`);
      const created = calls.indexOf(`POST /api/v1/repos/dataforge/${r}/hooks`);
      const deleted = calls.indexOf(`DELETE /api/v1/repos/dataforge/${r}/hooks/${oldIds[i]}`);
      expect(created).toBeGreaterThanOrEqual(0);
      expect(deleted).toBeGreaterThan(created);
    }
    expect((await monitor(['plan'], { HOOK_SECRET: NEW })).code).toBe(0);
  });

  it('pages through 120 repos (50 a page); a no-op plan costs repos + listing pages calls', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    sandbox.addOrg('big');
    for (let i = 0; i < 120; i++) await sandbox.addRepo(`big/r${String(i).padStart(3, '0')}`);
    writeConfig([{ match: 'big/*' }]);
    expect((await monitor(['apply'])).code).toBe(0);
    expect(sandbox.apiCalls.filter((c) => c.path === '/api/v1/orgs/big/repos')).toHaveLength(3);
    expect(ours('big/r119')).toHaveLength(1);
    const before = sandbox.apiCalls.length;
    const plan = await monitor(['plan']);
    expect(plan.code).toBe(0);
    expect(sandbox.apiCalls.length - before).toBe(120 + 3);
  });

  it('scope: org installs one org hook instead of per-repo hooks', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    writeConfig([{ match: 'dataforge/*', scope: 'org' }]);
    expect((await monitor(['apply'])).code).toBe(0);
    expect(sandbox.orgHooks('dataforge')).toEqual([expect.objectContaining({ url: PUBLIC_URL, active: true, secret: SECRET })]);
    expect(ours('dataforge/api')).toEqual([]);
    expect((await monitor(['plan'])).code).toBe(0);
  });

  it('--json prints the plan as JSON; errors name the setting and never the token', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    writeConfig([{ match: 'dataforge/*', exclude: ['dataforge/sandbox-*'] }]);
    const json = await monitor(['plan', '--json']);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.counts).toEqual({ create: 3, update: 0, delete: 0, rotate: 0, foreign: 0 });
    expect(parsed.actions.map((a: { target: { label: string } }) => a.target.label)).toEqual(['dataforge/api', 'dataforge/cli', 'dataforge/web']);

    const WRONG = 'wrong-token-55aa11';
    const rejected = await monitor(['plan'], { GITEA_TOKEN: WRONG });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toContain('Error: cannot list the repositories of dataforge: Gitea rejected the token (gitea.token)');
  });

  it('webhooks disabled by the Gitea administrator is reported as such', async ({ onTestFinished }) => {
    const { sandbox, writeConfig, monitor, api, ours, writes, firstApply } = await setup(onTestFinished);
    writeConfig([{ match: 'dataforge/api' }]);
    sandbox.setWebhooksDisabled(true);
    const applied = await monitor(['apply']);
    expect(applied.code).toBe(1);
    expect(applied.stdout + applied.stderr).toContain('webhooks disabled by administrator');
  });
});
