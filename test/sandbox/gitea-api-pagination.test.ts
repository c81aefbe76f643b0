// Pagination of the stand-in's list endpoints (routers/api/v1/utils/page.go, FACTS §4.6, §4.8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from './gitea/helpers.ts';
import { startSandbox } from './gitea/helpers.ts';

describe('gitea stand-in API pagination (120 repositories)', () => {
  let run: Running;
  beforeAll(async () => {
    run = await startSandbox();
    run.sandbox.addOrg('big');
    run.sandbox.addUser('solo');
    for (let i = 1; i <= 120; i++) await run.sandbox.addRepo(`big/repo-${String(i).padStart(3, '0')}`);
    await run.sandbox.addRepo('solo/mine');
  });
  afterAll(() => run.close());

  const names = (json: unknown) => (json as Array<{ name: string }>).map((r) => r.name);
  const link = (page: number, rel: string) => `<${run.url}/api/v1/orgs/big/repos?limit=50&page=${page}>; rel="${rel}"`;

  it('limit 50 gives 3 pages with X-Total-Count and Gitea\'s Link header, ordered by id', async () => {
    const pages = await Promise.all([1, 2, 3].map((p) => run.api('GET', `/orgs/big/repos?limit=50&page=${p}`)));
    expect(pages.map((p) => (p.json as unknown[]).length)).toEqual([50, 50, 20]);
    expect(pages.map((p) => p.headers.get('x-total-count'))).toEqual(['120', '120', '120']);
    expect(names(pages[0]?.json)[0]).toBe('repo-001');
    expect(names(pages[2]?.json).at(-1)).toBe('repo-120');
    expect(pages[0]?.headers.get('link')).toBe([link(2, 'next'), link(3, 'last')].join(','));
    expect(pages[1]?.headers.get('link')).toBe([link(3, 'next'), link(3, 'last'), link(1, 'first'), link(1, 'prev')].join(','));
    expect(pages[2]?.headers.get('link')).toBe([link(1, 'first'), link(2, 'prev')].join(','));
    expect(pages[0]?.headers.get('access-control-expose-headers')).toBe('Link, X-Total-Count');
  });

  it('limit defaults to 30, is capped at 50, and page below 1 means 1', async () => {
    expect((await run.api('GET', '/orgs/big/repos')).json).toHaveLength(30);
    expect((await run.api('GET', '/orgs/big/repos?limit=100')).json).toHaveLength(50);
    expect(names((await run.api('GET', '/orgs/big/repos?limit=5&page=0')).json)).toEqual(['repo-001', 'repo-002', 'repo-003', 'repo-004', 'repo-005']);
    expect((await run.api('GET', '/orgs/big/repos?page=9&limit=50')).json).toEqual([]);
  });

  it('/users/{u}/repos lists only that owner\'s repositories; branches list has X-Total-Count', async () => {
    expect(names((await run.api('GET', '/users/solo/repos')).json)).toEqual(['mine']);
    expect((await run.api('GET', '/users/big/repos?limit=1')).headers.get('x-total-count')).toBe('120');
    await run.sandbox.createBranch('solo/mine', 'dev', { commits: 1 });
    const branches = await run.api('GET', '/repos/solo/mine/branches');
    expect(branches.headers.get('x-total-count')).toBe('2');
    const heads = run.sandbox.branchHeads('solo/mine');
    expect((branches.json as Array<{ name: string; commit: { id: string } }>).map((b) => [b.name, b.commit.id]).sort()).toEqual([['dev', heads.dev], ['main', heads.main]]);
  });
});
