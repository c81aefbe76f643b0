// `monitor plan` / `monitor apply` through the real CLI: incomplete listings, mass deletion, secret
// rotation, paging, org hooks, --json and hooks disabled by the administrator.
import { describe, expect, it } from 'vitest';
import { setup, PUBLIC_URL, SECRET, TOKEN } from './plan-apply-kit.ts';

// Sequential within the file: each test spawns several CLI processes; the tests are split over
// two files so that they still run beside each other.
describe('monitor plan / apply against the Gitea stand-in (more)', () => {
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
