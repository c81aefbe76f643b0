// The one wrapper every API route goes through: fault injection, token auth (services/auth),
// token scopes for writes, error -> JSON body, and the call log.
import type { H3, H3Event } from 'h3';
import { getRouterParams } from 'h3';
import { ApiError, errorResponse, notFound } from './api-http.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Account, Repo, World } from './world.ts';
import { findAccount, findRepo } from './world.ts';
import { missingScope, scopeMessage, type ScopeCategory, type TokenScope } from './scopes.ts';

export interface FaultRule { method: string; path: RegExp; status: number; remaining: number }
export interface ApiCall { method: string; path: string; status: number }

export interface ApiDeps {
  world: World;
  dispatcher: Dispatcher;
  /** ROOT_URL with its trailing slash. */
  root: () => string;
  /** Every valid token and its scope (Gitea's stored string, e.g. "all" or "write:repository"). */
  tokens: ReadonlyMap<string, TokenScope>;
  tokenUser: () => Account;
  apiCalls: ApiCall[];
  faults: FaultRule[];
  random: () => number;
}

export interface ApiRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  doer: Account;
  readJson(): Promise<Record<string, unknown>>;
}

/** The token scope category of the route's group (`tokenRequiresScopes`); null for routes without a token. */
export type Scope = ScopeCategory | null;

export interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | '';
  path: string;
  scope: Scope;
  handler: (req: ApiRequest) => Response | Promise<Response>;
}

/** The token from `Authorization: token|Bearer X` (any case), Basic auth, or `?token=` / `?access_token=`. */
function presentedToken(request: Request, url: URL, deps: ApiDeps): string | undefined {
  const header = request.headers.get('authorization')?.trim();
  if (header) {
    const match = /^(token|bearer)\s+(\S+)$/i.exec(header);
    if (match) return match[2];
    const basic = /^basic\s+(\S+)$/i.exec(header);
    if (basic) {
      const [user = '', password = ''] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
      return deps.tokens.has(password) ? password : user; // `user:<pat>` or `<pat>:` / `<pat>:x-oauth-basic`
    }
    return header;
  }
  return url.searchParams.get('token') ?? url.searchParams.get('access_token') ?? undefined;
}

async function readJson(event: H3Event): Promise<Record<string, unknown>> {
  const text = await event.req.text();
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new ApiError(422, `[]: Deserialization: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ApiError(422, '[]: Deserialization: expected a JSON object');
  return parsed as Record<string, unknown>;
}

function takeFault(deps: ApiDeps, method: string, path: string): FaultRule | undefined {
  const rule = deps.faults.find((f) => f.remaining > 0 && f.method.toUpperCase() === method && f.path.test(path));
  if (rule) rule.remaining--;
  return rule;
}

async function handle(deps: ApiDeps, route: RouteDef, event: H3Event): Promise<Response> {
  const url = event.url;
  const fault = takeFault(deps, event.req.method, url.pathname);
  if (fault) throw new ApiError(fault.status, `injected failure (HTTP ${fault.status})`, fault.status === 404);
  if (route.scope !== null) {
    const token = presentedToken(event.req, url, deps);
    if (token === undefined) throw new ApiError(401, 'token is required');
    const scope = deps.tokens.get(token);
    if (scope === undefined) throw new ApiError(401, 'invalid username, password or token');
    const missing = missingScope(scope, event.req.method, route.scope);
    if (missing) throw new ApiError(403, scopeMessage(missing, scope));
  }
  const params = getRouterParams(event, { decode: true }) as Record<string, string>;
  return route.handler({ method: event.req.method, url, params, doer: deps.tokenUser(), readJson: () => readJson(event) });
}

/** Registers a route; `method: ''` with a `/**` path is the catch-all for unknown API paths. */
export function registerRoute(app: H3, deps: ApiDeps, route: RouteDef): void {
  app.on(route.method, route.path, async (event: H3Event) => {
    let response: Response;
    try {
      response = await handle(deps, route, event);
    } catch (err) {
      response = errorResponse(deps.root(), err instanceof ApiError ? err : new ApiError(500, (err as Error).message));
    }
    deps.apiCalls.push({ method: event.req.method, path: event.url.pathname, status: response.status });
    return response;
  });
}

/** The `{owner}/{repo}` of the path (case-insensitive, like Gitea), or 404. */
export function lookupRepo(deps: ApiDeps, req: ApiRequest): Repo {
  const repo = findRepo(deps.world, `${req.params.owner}/${req.params.repo}`);
  if (!repo) throw notFound();
  return repo;
}

/** The `{org}` of the path; a user of that name is not an organization: 404. */
export function lookupOrg(deps: ApiDeps, req: ApiRequest): Account {
  const org = findAccount(deps.world, req.params.org ?? '');
  if (!org?.isOrg) throw notFound();
  return org;
}
