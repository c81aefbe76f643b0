// The h3 app: the read endpoints a webhook daemon needs (version, user, orgs, repositories,
// branches) plus the hook routes from api-hooks.ts, all under /api/v1.
import { H3 } from 'h3';
import { hookRoutes } from './api-hooks.ts';
import { refRoutes } from './api-refs.ts';
import { jsonResponse, linkHeader, listOptions, notFound, pageHeaders, pageItems } from './api-http.ts';
import type { ApiDeps, ApiRequest, RouteDef } from './api-route.ts';
import { lookupOrg, lookupRepo, registerRoute } from './api-route.ts';
import { branchJson, organizationJson, repoJson, userJson } from './views.ts';
import type { Account } from './world.ts';
import { findAccount } from './world.ts';

export const GITEA_VERSION = '1.25.4';

/** Repositories of one owner, `id ASC`, with X-Total-Count and Link (routers/api/v1/user/repo.go). */
function repoList(deps: ApiDeps, req: ApiRequest, owner: Account): Response {
  const repos = [...deps.world.repos.values()].filter((r) => r.owner.id === owner.id).sort((a, b) => a.id - b.id);
  const opts = listOptions(req.url.searchParams);
  const root = deps.root();
  const body = pageItems(repos, opts).map((r) => repoJson(root, r, 'owner'));
  return jsonResponse(200, body, pageHeaders(repos.length, linkHeader(root, req.url, repos.length, opts)));
}

function coreRoutes(deps: ApiDeps): RouteDef[] {
  return [
    { method: 'GET', path: '/api/v1/version', scope: null, handler: () => jsonResponse(200, { version: GITEA_VERSION }) },
    { method: 'GET', path: '/api/v1/user', scope: 'user', handler: (req) => jsonResponse(200, userJson(deps.root(), req.doer, 'authed')) },
    { method: 'GET', path: '/api/v1/user/repos', scope: 'repository', handler: (req) => repoList(deps, req, req.doer) },
    { method: 'GET', path: '/api/v1/orgs/:org', scope: 'organization', handler: (req) => jsonResponse(200, organizationJson(deps.root(), lookupOrg(deps, req))) },
    { method: 'GET', path: '/api/v1/orgs/:org/repos', scope: 'organization', handler: (req) => repoList(deps, req, lookupOrg(deps, req)) },
    {
      method: 'GET',
      path: '/api/v1/users/:user/repos',
      scope: 'repository',
      handler: (req) => {
        const owner = findAccount(deps.world, req.params.user ?? '');
        if (!owner) throw notFound();
        return repoList(deps, req, owner);
      },
    },
    { method: 'GET', path: '/api/v1/repos/:owner/:repo', scope: 'repository', handler: (req) => jsonResponse(200, repoJson(deps.root(), lookupRepo(deps, req), 'owner')) },
    {
      method: 'GET',
      path: '/api/v1/repos/:owner/:repo/branches',
      scope: 'repository',
      handler: (req) => {
        const repo = lookupRepo(deps, req);
        const time = (name: string) => Date.parse(deps.world.commits.get(repo.branches.get(name) ?? '')?.timestamp ?? '') || 0;
        // models/git FindBranchOptions default order: "commit_time DESC, name ASC".
        const names = [...repo.branches.keys()].sort((a, b) => time(b) - time(a) || (a < b ? -1 : a > b ? 1 : 0));
        const opts = listOptions(req.url.searchParams);
        const body = pageItems(names, opts).map((name) => branchJson(deps.root(), deps.world, repo, name));
        return jsonResponse(200, body, pageHeaders(names.length, linkHeader(deps.root(), req.url, names.length, opts)));
      },
    },
  ];
}

export function createApiApp(deps: ApiDeps): H3 {
  const app = new H3();
  for (const route of [...coreRoutes(deps), ...refRoutes(deps), ...hookRoutes(deps)]) registerRoute(app, deps, route);
  registerRoute(app, deps, { method: '', path: '/api/v1/**', scope: null, handler: () => { throw notFound(); } });
  return app;
}
