// Repository and organization hook routes (routers/api/v1/repo/hook.go, org/hook.go) with the
// semantics of utils/hook.go; the list sets X-Total-Count only, never Link.
import { ApiError, jsonResponse, listOptions, notFound, pageHeaders, pageItems } from './api-http.ts';
import type { ApiDeps, ApiRequest, RouteDef, Scope } from './api-route.ts';
import { lookupOrg, lookupRepo } from './api-route.ts';
import type { HookApiError, HookTargetType, StoredHook } from './hooks.ts';
import { applyEdit, hookJson, parseCreate } from './hooks.ts';
import { testPushTask } from './payloads.ts';
import { fullName, resolveRef } from './world.ts';

interface Target { type: HookTargetType; owner: string }

function hooksEnabled(deps: ApiDeps): void {
  if (deps.world.webhooksDisabled) throw new ApiError(403, 'webhooks disabled by administrator');
}

function listOf(deps: ApiDeps, target: Target): StoredHook[] {
  const owner = target.owner.toLowerCase();
  return [...deps.world.hooks.values()].filter((h) => h.targetType === target.type && h.owner.toLowerCase() === owner).sort((a, b) => a.id - b.id);
}

function findHook(deps: ApiDeps, target: Target, rawId: string | undefined): StoredHook {
  const id = /^\d+$/.test(rawId ?? '') ? Number(rawId) : 0;
  const hook = listOf(deps, target).find((h) => h.id === id);
  if (!hook) throw notFound();
  return hook;
}

const rejected = (e: HookApiError) => new ApiError(e.status, e.message);

/** The five CRUD routes for one kind of hook owner; `resolve` does the owner lookup (404 first). */
function crudRoutes(deps: ApiDeps, base: string, scope: Scope, resolve: (req: ApiRequest) => Target): RouteDef[] {
  const target = (req: ApiRequest) => {
    const t = resolve(req);
    hooksEnabled(deps);
    return t;
  };
  const render = (hook: StoredHook) => hookJson(hook, deps.random);
  return [
    {
      method: 'GET', path: base, scope,
      handler: (req) => {
        const hooks = listOf(deps, target(req));
        return jsonResponse(200, pageItems(hooks, listOptions(req.url.searchParams)).map(render), pageHeaders(hooks.length));
      },
    },
    {
      method: 'POST', path: base, scope,
      handler: async (req) => {
        const t = target(req);
        const parsed = parseCreate(await req.readJson());
        if ('message' in parsed) throw rejected(parsed);
        const now = deps.world.now();
        const hook: StoredHook = { id: ++deps.world.seq.hook, targetType: t.type, owner: t.owner, ...parsed, created: now, updated: now };
        deps.world.hooks.set(hook.id, hook);
        return jsonResponse(201, render(hook));
      },
    },
    { method: 'GET', path: `${base}/:id`, scope, handler: (req) => jsonResponse(200, render(findHook(deps, target(req), req.params.id))) },
    {
      method: 'PATCH', path: `${base}/:id`, scope,
      handler: async (req) => {
        const hook = findHook(deps, target(req), req.params.id);
        const error = applyEdit(hook, await req.readJson(), deps.world.now());
        if (error) throw rejected(error);
        return jsonResponse(200, render(hook));
      },
    },
    {
      method: 'DELETE', path: `${base}/:id`, scope,
      handler: (req) => {
        deps.world.hooks.delete(findHook(deps, target(req), req.params.id).id);
        return new Response(null, { status: 204 });
      },
    },
  ];
}

/** `TestHook`: queues a push of the ref's commit (before == after) and answers 204 without waiting. */
function testRoute(deps: ApiDeps): RouteDef {
  return {
    method: 'POST', path: '/api/v1/repos/:owner/:repo/hooks/:id/tests', scope: 'repository',
    handler: (req) => {
      const repo = lookupRepo(deps, req);
      hooksEnabled(deps);
      if (repo.empty) throw notFound('repository is empty');
      const rawRef = req.url.searchParams.get('ref') ?? '';
      const commitId = resolveRef(deps.world, repo, rawRef === '' ? repo.defaultBranch : rawRef);
      const commit = deps.world.commits.get(commitId ?? '');
      if (!commit) throw notFound('unable to find a git ref');
      const hook = findHook(deps, { type: 'repository', owner: fullName(repo) }, req.params.id);
      const ref = rawRef === '' ? `refs/heads/${repo.defaultBranch}` : rawRef; // Gitea passes ?ref= through raw
      void deps.dispatcher.fireAt(hook, testPushTask(deps.root(), repo, ref, commit, req.doer));
      return new Response(null, { status: 204 });
    },
  };
}

export function hookRoutes(deps: ApiDeps): RouteDef[] {
  return [
    ...crudRoutes(deps, '/api/v1/repos/:owner/:repo/hooks', 'repository', (req) => ({ type: 'repository', owner: fullName(lookupRepo(deps, req)) })),
    testRoute(deps),
    ...crudRoutes(deps, '/api/v1/orgs/:org/hooks', 'organization', (req) => ({ type: 'organization', owner: lookupOrg(deps, req).login })),
  ];
}
