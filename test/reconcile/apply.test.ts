import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { GiteaError } from '../../src/adapters/gitea/errors.ts';
import { memoryLogger } from '../../src/log.ts';
import { apply } from '../../src/reconcile/apply.ts';
import { secretFingerprint } from '../../src/reconcile/fingerprint.ts';
import { computePlan, reconcileOnce } from '../../src/reconcile/run.ts';
import { readRemembered, readTargetRecords } from '../../src/reconcile/state.ts';
import { Secret } from '../../src/secret.ts';
import { fakeGitea } from './helpers/fake-gitea.ts';
import { FOREIGN_URL, PUBLIC_URL, reconcileConfig, rule } from './helpers/config.ts';

const repo = (r: string) => ({ kind: 'repo' as const, repo: r });

describe('apply', () => {
  it('creates active hooks with the secret, records their fingerprints, and the next plan is empty', async () => {
    const gitea = fakeGitea({ df: ['api', 'web'] });
    const storage = createStorage();
    const config = reconcileConfig();
    const pass = await reconcileOnce(config, { client: gitea, storage });
    expect(pass.apply.ok).toBe(true);
    expect(pass.apply.outcomes.map((o) => [o.action.kind, o.status])).toEqual([['create', 'done'], ['create', 'done']]);
    const [hook] = gitea.hooksOf(repo('df/api'));
    expect(hook).toMatchObject({ active: true, secret: 'hook-secret-1', config: { url: PUBLIC_URL, content_type: 'json' } });
    const records = await readTargetRecords(storage, repo('df/api'));
    expect([...records.keys()]).toEqual([hook!.id]);
    expect(records.get(hook!.id)!.fingerprint).toBe(secretFingerprint(new Secret('hook-secret-1')));
    expect((await computePlan(config, gitea, storage)).plan.actions).toEqual([]);
  });

  it('PATCHes with the full desired body', async () => {
    const gitea = fakeGitea({ df: ['api'] });
    const storage = createStorage();
    const h = gitea.addHook(repo('df/api'), { url: PUBLIC_URL, events: ['push'], branch_filter: 'main', authorization_header: 'Bearer x', active: false });
    const { plan } = await computePlan(reconcileConfig(), gitea, storage);
    await apply(plan, { client: gitea, storage, secret: new Secret('hook-secret-1') });
    expect(gitea.calls).toContain(`PATCH repo:df/api#${h.id}`);
    expect(gitea.hooksOf(repo('df/api'))[0]).toMatchObject({ branch_filter: '', authorization_header: '', active: true });
    expect(new Set(gitea.hooksOf(repo('df/api'))[0]!.events)).toEqual(new Set(['push', 'create', 'delete', 'release']));
    // adopted: recorded with the current fingerprint
    expect((await readTargetRecords(storage, repo('df/api'))).get(h.id)?.fingerprint).toBe(secretFingerprint(new Secret('hook-secret-1')));
  });

  it('rotates a changed secret make-before-break: the new hook is created before the old is deleted', async () => {
    const gitea = fakeGitea({ df: ['api'] });
    const storage = createStorage();
    await reconcileOnce(reconcileConfig({ secret: 'old-secret' }), { client: gitea, storage });
    const oldId = gitea.hooksOf(repo('df/api'))[0]!.id;
    gitea.calls.length = 0;
    const pass = await reconcileOnce(reconcileConfig({ secret: 'new-secret' }), { client: gitea, storage });
    expect(pass.plan.actions).toEqual([{ kind: 'rotate', target: repo('df/api'), hookId: oldId, deleteOld: true }]);
    expect(gitea.calls.filter((c) => !c.startsWith('GET'))).toEqual(['POST repo:df/api', `DELETE repo:df/api#${oldId}`]);
    const hooks = gitea.hooksOf(repo('df/api'));
    expect(hooks.map((h) => h.secret)).toEqual(['new-secret']);
    const records = await readTargetRecords(storage, repo('df/api'));
    expect([...records.keys()]).toEqual([hooks[0]!.id]);
    expect((await computePlan(reconcileConfig({ secret: 'new-secret' }), gitea, storage)).plan.actions).toEqual([]);
  });

  it('keeps the old hook when creating its replacement fails', async () => {
    const gitea = fakeGitea({ df: ['api'] });
    const storage = createStorage();
    await reconcileOnce(reconcileConfig({ secret: 'old-secret' }), { client: gitea, storage });
    gitea.fail('POST', 'repo:df/api', new GiteaError('server', 'Gitea answered 500', 500));
    const pass = await reconcileOnce(reconcileConfig({ secret: 'new-secret' }), { client: gitea, storage });
    expect(pass.apply.outcomes[0]).toMatchObject({ status: 'failed', error: 'Gitea answered 500' });
    expect(gitea.hooksOf(repo('df/api')).map((h) => h.secret)).toEqual(['old-secret']);
  });

  it('goes on after a failed action and says what failed', async () => {
    const gitea = fakeGitea({ df: ['a', 'b', 'c'] });
    gitea.fail('POST', 'repo:df/b', new GiteaError('forbidden', 'the token lacks write:repository on df/b', 403));
    const pass = await reconcileOnce(reconcileConfig(), { client: gitea, storage: createStorage() });
    expect(pass.apply.ok).toBe(false);
    expect(pass.apply.failed).toBe(1);
    expect(pass.apply.outcomes.map((o) => `${o.action.target.kind === 'repo' ? o.action.target.repo : ''} ${o.status}`)).toEqual(['df/a done', 'df/b failed', 'df/c done']);
    expect(pass.apply.outcomes[1]!.error).toBe('the token lacks write:repository on df/b');
  });

  it('refuses the deletions of a mass deletion unless allowed, and still does the rest', async () => {
    const gitea = fakeGitea({ df: ['a', 'b', 'c', 'd', 'e'] });
    const storage = createStorage();
    await reconcileOnce(reconcileConfig(), { client: gitea, storage });
    const narrowed = reconcileConfig({ repos: [rule('df/a'), rule('df/new')] });
    gitea.repos.set('df', ['a', 'b', 'c', 'd', 'e', 'new']);
    const log = memoryLogger();
    const refused = await reconcileOnce(narrowed, { client: gitea, storage, logger: log });
    expect(refused.plan.massDelete).toEqual({ deletes: 4, ours: 5, limit: 3, reason: 'too-many' });
    expect(refused.apply.refused).toBe(4);
    expect(refused.apply.ok).toBe(false);
    expect(gitea.hooksOf(repo('df/new'))).toHaveLength(1);
    expect(gitea.hooksOf(repo('df/b'))).toHaveLength(1);
    expect(log.lines.some((l) => l.level === 'error' && l.msg === 'mass deletion refused')).toBe(true);
    const allowed = await reconcileOnce(narrowed, { client: gitea, storage, allowMassDelete: true });
    expect(allowed.apply.ok).toBe(true);
    expect(['b', 'c', 'd', 'e'].map((r) => gitea.hooksOf(repo(`df/${r}`)).length)).toEqual([0, 0, 0, 0]);
    expect([...(await readRemembered(storage)).keys()].sort()).toEqual(['repo:df/a', 'repo:df/new']);
  });

  it('removes our hook from a newly excluded repo, leaves the foreign one, and forgets the record', async () => {
    const gitea = fakeGitea({ df: ['a', 'b', 'c', 'd'] });
    const storage = createStorage();
    await reconcileOnce(reconcileConfig(), { client: gitea, storage });
    const foreign = gitea.addHook(repo('df/d'), { url: FOREIGN_URL });
    const pass = await reconcileOnce(reconcileConfig({ repos: [rule('df/*', { exclude: ['df/d'] })] }), { client: gitea, storage });
    expect(pass.plan.counts).toMatchObject({ delete: 1, foreign: 1 });
    expect(gitea.hooksOf(repo('df/d'))).toEqual([foreign]);
    expect((await readRemembered(storage)).has('repo:df/d')).toBe(false);
  });

  it('treats a hook already gone (404 on DELETE) as deleted', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const storage = createStorage();
    const result = await apply(
      { ...(await computePlan(reconcileConfig(), gitea, storage)).plan, actions: [{ kind: 'delete', target: repo('df/a'), hookId: 999, reason: 'duplicate' }] },
      { client: gitea, storage, secret: new Secret('s') },
    );
    expect(result.outcomes[0]!.status).toBe('done');
  });
});

describe('secretFingerprint', () => {
  it('tells secrets apart without containing them', () => {
    const a = secretFingerprint(new Secret('alpha-secret'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(secretFingerprint(new Secret('alpha-secret')));
    expect(a).not.toBe(secretFingerprint(new Secret('beta-secret')));
    expect(a).not.toContain('alpha');
  });
});
