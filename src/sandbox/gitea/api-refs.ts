// Tags, releases and the compare endpoint (routers/api/v1/repo/tag.go, release.go, compare.go at
// v1.25.4): what catch-up reads to find what happened while nobody listened.
import { ApiError, jsonResponse, linkHeader, listOptions, notFound, pageHeaders, pageItems } from './api-http.ts';
import type { ApiDeps, ApiRequest, RouteDef } from './api-route.ts';
import { lookupRepo } from './api-route.ts';
import { releaseJson, userJson } from './views.ts';
import { GO_ZERO_TIME } from './go-encoding.ts';
import { findAccount, fullName, history, resolveRef, type Commit, type Repo, type World } from './world.ts';

/** Tag (services/convert ToTag): `id` is the tag object, `commit.sha` the commit it points at. */
function tagJson(root: string, world: World, repo: Repo, name: string): Record<string, unknown> {
  const tag = repo.tags.get(name)!;
  const base = `${root}${fullName(repo)}`;
  const commit = world.commits.get(tag.commitId);
  return {
    name,
    message: tag.objectId === tag.commitId ? (commit?.message ?? '') : `${name}\n`,
    id: tag.objectId,
    commit: { url: `${root}api/v1/repos/${fullName(repo)}/git/commits/${tag.commitId}`, sha: tag.commitId, created: commit?.timestamp ?? GO_ZERO_TIME },
    zipball_url: `${base}/archive/${name}.zip`,
    tarball_url: `${base}/archive/${name}.tar.gz`,
  };
}

/** Commit (services/convert ToCommit): git data under `commit`, the Gitea users under author/committer. */
export function apiCommitJson(root: string, world: World, repo: Repo, c: Commit): Record<string, unknown> {
  const api = `${root}api/v1/repos/${fullName(repo)}/git/commits/${c.id}`;
  const userOf = (s: Commit['author']) => {
    const a = s.username ? findAccount(world, s.username) : undefined;
    return a ? userJson(root, a, 'placeholder') : null;
  };
  return {
    url: api,
    sha: c.id,
    created: c.timestamp,
    html_url: `${root}${fullName(repo)}/commit/${c.id}`,
    commit: {
      url: api,
      author: { name: c.author.name, email: c.author.email, date: c.timestamp },
      committer: { name: c.committer.name, email: c.committer.email, date: c.timestamp },
      message: c.message,
      tree: { url: api, sha: c.id, created: c.timestamp },
      verification: { verified: false, reason: 'gpg.error.not_signed_commit', signature: '', signer: null, payload: '' },
    },
    author: userOf(c.author),
    committer: userOf(c.committer),
    parents: c.parent ? [{ url: `${root}api/v1/repos/${fullName(repo)}/git/commits/${c.parent}`, sha: c.parent, created: GO_ZERO_TIME }] : [],
    files: null,
    stats: null,
  };
}

export function refRoutes(deps: ApiDeps): RouteDef[] {
  const list = <T>(req: ApiRequest, items: T[], view: (x: T) => unknown) => {
    const opts = listOptions(req.url.searchParams);
    return jsonResponse(200, pageItems(items, opts).map(view), pageHeaders(items.length, linkHeader(deps.root(), req.url, items.length, opts)));
  };
  return [
    {
      method: 'GET',
      path: '/api/v1/repos/:owner/:repo/tags',
      scope: 'repository',
      handler: (req) => {
        const repo = lookupRepo(deps, req);
        // Newest first (git for-each-ref --sort=-creatordate); same-time tags by name.
        const time = (n: string) => Date.parse(deps.world.commits.get(repo.tags.get(n)!.commitId)?.timestamp ?? '') || 0;
        const names = [...repo.tags.keys()].reverse().sort((a, b) => time(b) - time(a));
        return list(req, names, (n) => tagJson(deps.root(), deps.world, repo, n));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/repos/:owner/:repo/releases',
      scope: 'repository',
      handler: (req) => {
        const repo = lookupRepo(deps, req);
        const releases = [...repo.releases].sort((a, b) => b.created.getTime() - a.created.getTime() || b.id - a.id);
        return list(req, releases, (r) => {
          const publisher = [...deps.world.accounts.values()].find((a) => a.id === r.publisherId) ?? repo.owner;
          return releaseJson(deps.root(), repo, r, publisher);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/repos/:owner/:repo/compare/:basehead',
      scope: 'repository',
      handler: (req) => {
        const repo = lookupRepo(deps, req);
        const m = /^(.+?)\.\.\.?(.+)$/.exec(req.params.basehead ?? '');
        if (!m) throw new ApiError(422, 'basehead must be base...head');
        const base = resolveRef(deps.world, repo, m[1]!);
        const head = resolveRef(deps.world, repo, m[2]!);
        if (!base || !head) throw notFound();
        // git log base..head: commits reachable from head and not from base, newest first.
        const excluded = new Set(history(deps.world, base, Number.MAX_SAFE_INTEGER).map((c) => c.id));
        const commits = history(deps.world, head, Number.MAX_SAFE_INTEGER).filter((c) => !excluded.has(c.id));
        return jsonResponse(200, { total_commits: commits.length, commits: commits.map((c) => apiCommitJson(deps.root(), deps.world, repo, c)) });
      },
    },
  ];
}
