// `monitor plan` / `monitor apply` through the real CLI: first apply, drift, duplicates, exclusion,
// a failed listing, a file matching nothing.
import { describe, expect, it } from 'vitest';
import { setup, PUBLIC_URL, FOREIGN_URL, SECRET } from './plan-apply-kit.ts';

// Sequential within the file: each test spawns several CLI processes; the tests are split over
// two files so that they still run beside each other.
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

});
