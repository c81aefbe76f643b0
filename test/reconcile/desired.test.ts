import { describe, expect, it } from 'vitest';
import { GiteaError } from '../../src/adapters/gitea/errors.ts';
import type { GiteaRepo, Page } from '../../src/adapters/gitea/types.ts';
import { expandDesired, type RepoLister } from '../../src/reconcile/desired.ts';
import { fakeGitea } from './helpers/fake-gitea.ts';
import { PUBLIC_URL, reconcileConfig, rule } from './helpers/config.ts';

const repoTargets = (d: { targets: Array<{ kind: string; repo?: string; org?: string }> }) => d.targets.map((t) => (t.kind === 'repo' ? t.repo : `org:${t.org}`)).sort();

describe('expandDesired', () => {
  it('expands globs over the owner, applies excludes, and builds the full hook body', async () => {
    const gitea = fakeGitea({ dataforge: ['api', 'web', 'sandbox-1', 'cli'], other: ['x'] });
    const d = await expandDesired(reconcileConfig({ repos: [rule('dataforge/*', { exclude: ['dataforge/sandbox-*'] })] }), gitea);
    expect(repoTargets(d)).toEqual(['dataforge/api', 'dataforge/cli', 'dataforge/web']);
    expect(d.declared).toEqual([
      { repo: 'dataforge/api', target: 'repo:dataforge/api' },
      { repo: 'dataforge/cli', target: 'repo:dataforge/cli' },
      { repo: 'dataforge/web', target: 'repo:dataforge/web' },
    ]);
    expect(d.body).toEqual({
      type: 'gitea', config: { url: PUBLIC_URL, content_type: 'json' }, events: ['push', 'create', 'delete', 'release'],
      branch_filter: '', authorization_header: '', active: true,
    });
    expect(d.complete).toBe(true);
    expect(JSON.stringify(d)).not.toContain('hook-secret');
  });

  it('falls back to /users/{owner}/repos when the owner is not an organisation', async () => {
    const gitea = fakeGitea({ '~alice': ['dotfiles', 'notes'] });
    const d = await expandDesired(reconcileConfig({ repos: [rule('~alice/n*')] }), gitea);
    expect(repoTargets(d)).toEqual(['~alice/notes']);
    expect(gitea.calls).toEqual(['GET org:~alice', 'GET user:~alice']);
  });

  it('reads every page and checks the count against X-Total-Count', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `r${i}`);
    const gitea = fakeGitea({ big: names });
    const d = await expandDesired(reconcileConfig({ repos: [rule('big/*')] }), gitea);
    expect(d.targets).toHaveLength(120);
    expect(gitea.calls).toEqual(['GET org:big', 'GET org:big', 'GET org:big']);
  });

  it('marks the set incomplete when a page is missing items', async () => {
    const lister: RepoLister = {
      async listOwnerRepos(_o, _k, page): Promise<Page<GiteaRepo>> {
        return { items: page === 1 ? [{ id: 1, name: 'a', full_name: 'o/a' }] : [], total: 2 };
      },
    };
    const d = await expandDesired(reconcileConfig({ repos: [rule('o/*')] }), lister);
    expect(d.complete).toBe(false);
    expect(d.problems[0]).toMatch(/cannot list the repositories of o: .*incomplete/);
    expect(d.targets).toEqual([]);
  });

  it('marks the set incomplete when the owner listing fails, keeping the other owners', async () => {
    const gitea = fakeGitea({ a: ['one'], b: ['two'] });
    gitea.fail('GET', 'org:b', new GiteaError('server', 'Gitea answered 500 for GET /orgs/b/repos', 500));
    const d = await expandDesired(reconcileConfig({ repos: [rule('a/*'), rule('b/*')] }), gitea);
    expect(repoTargets(d)).toEqual(['a/one']);
    expect(d.complete).toBe(false);
    expect(d.problems).toEqual(['cannot list the repositories of b: Gitea answered 500 for GET /orgs/b/repos']);
  });

  it('scope: org gives the owner one org hook, covering its matched repos, even with none matching yet', async () => {
    const gitea = fakeGitea({ df: ['api', 'web'], empty: [] });
    const d = await expandDesired(reconcileConfig({ repos: [rule('df/*', { scope: 'org' }), rule('empty/*', { scope: 'org' })] }), gitea);
    expect(repoTargets(d)).toEqual(['org:df', 'org:empty']);
    expect(d.declared).toEqual([{ repo: 'df/api', target: 'org:df' }, { repo: 'df/web', target: 'org:df' }]);
  });

  it('rejects a glob in the owner part', async () => {
    const d = await expandDesired(reconcileConfig({ repos: [rule('*/api')] }), fakeGitea({}));
    expect(d.complete).toBe(false);
    expect(d.problems[0]).toContain('owner part must be a plain name');
  });

  it('a config that matches nothing yields an empty, complete set', async () => {
    const d = await expandDesired(reconcileConfig({ repos: [rule('df/nothing-*')] }), fakeGitea({ df: ['api'] }));
    expect(d).toMatchObject({ targets: [], declared: [], complete: true });
  });
});
