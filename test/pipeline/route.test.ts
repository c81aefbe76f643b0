import { describe, expect, it } from 'vitest';
import { compileRoutes, isDeclared, route } from '../../src/pipeline/route.ts';
import type { RepoRule } from '../../src/config/config.ts';

const rule = (r: Partial<RepoRule>): RepoRule => ({ match: 'dataforge/*', exclude: [], notify: ['news'], branches: ['*'], events: null, scope: 'repo', ...r });
const table = compileRoutes([
  rule({ exclude: ['dataforge/sandbox-*'] }),
  rule({ match: 'dataforge/api', notify: ['api'], branches: ['main', 'release/**'], events: ['push', 'release'] }),
]);
const push = (repo: string, refName = 'main', refType: 'branch' | 'tag' = 'branch') => ({ repo, event: 'push' as const, refType, refName });

describe('route', () => {
  it.each([
    ['declared repo', push('dataforge/web'), ['news']],
    ['two rules unite their rooms', push('dataforge/api'), ['news', 'api']],
    ['branch glob of one rule filters only that rule', push('dataforge/api', 'feature/x'), ['news']],
    ['"*" matches across slashes, like Gitea\'s branch_filter', push('dataforge/web', 'feature/login'), ['news']],
    ['"**" too', push('dataforge/api', 'release/1.2/hotfix'), ['news', 'api']],
    ['tags are not filtered by branch globs', push('dataforge/api', 'v1.0', 'tag'), ['news', 'api']],
    ['event filter', { ...push('dataforge/api'), event: 'create' as const }, ['news']],
    ['owner and name match without case', push('DataForge/Web'), ['news']],
  ])('%s', (_n, facts, rooms) => {
    expect(route(table, facts).rooms).toEqual(rooms);
  });

  it('says why nothing routes', () => {
    expect(route(table, push('elsewhere/x'))).toEqual({ rooms: [], ignored: 'repository elsewhere/x is not declared in repos' });
    expect(route(table, push('dataforge/sandbox-1'))).toMatchObject({ rooms: [], ignored: expect.stringContaining('excluded by repos[0].exclude') });
    const onlyMain = compileRoutes([rule({ branches: ['main'] })]);
    expect(route(onlyMain, push('dataforge/web', 'wip'))).toMatchObject({ ignored: 'branch "wip" does not match repos[0].branches' });
  });

  it('isDeclared ignores event and branch filters but honours excludes', () => {
    expect(isDeclared(table, 'dataforge/x')).toBe(true);
    expect(isDeclared(table, 'dataforge/sandbox-2')).toBe(false);
  });
});
