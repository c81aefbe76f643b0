// The dashboard's routes on the daemon's h3 app: pages under /ui/, JSON under /ui/api/. Every
// route passes the access check first (auth.ts), and every body passes the secret scrubber.
import { getCookie, getRouterParam, type H3, type H3Event } from 'h3';
import type { DaemonContext } from '../runtime/daemon.ts';
import type { Config } from '../config/config.ts';
import { errorResponse, jsonResponse } from '../http/errors.ts';
import { trustRequestOf } from '../http/peer.ts';
import { COOKIE_NAME, decideAccess, sessionCookie, withoutToken, type AccessRequest } from './auth.ts';
import { configView, extractorsView, parseRunsQuery, runDetail, runsApi, type DataSource } from './data.ts';
import { scrubDeep, scrubText, secretValuesOf } from './scrub.ts';
import { page, plainPage, type View } from './layout.ts';
import { html, type Html } from './html.ts';
import { extractorsBody } from './views/extractors.ts';
import { runsBody } from './views/runs.ts';
import { runDetailBody } from './views/run-detail.ts';
import { configBody } from './views/config.ts';
import { randomBytes } from 'node:crypto';

export interface DashboardOptions {
  /** How often an open page refreshes itself (default 3 s). */
  pollMs?: number;
  now?: () => number;
}

type Kind = 'page' | 'api';
interface Reply {
  src: DataSource;
  now: number;
  json(body: unknown, status?: number): Response;
  page(view: View | null, title: string, body: Html, status?: number): Response;
}

// The page's one script runs by nonce; styles are inline (the notice iframe's srcdoc inherits this
// policy, so it gets no script and no remote image either).
const csp = (nonce: string) =>
  `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
const API_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

function accessRequest(event: H3Event, config: Config, now: number, listenHost: string): AccessRequest {
  const h = event.req.headers;
  return {
    token: config.dashboard.token?.reveal() ?? null,
    authorization: h.get('authorization'),
    cookie: getCookie(event, COOKIE_NAME),
    queryToken: event.url.searchParams.get('token'),
    trust: trustRequestOf(h, event.runtime?.node?.req.socket.remoteAddress, listenHost, event.req.method !== 'GET' && event.req.method !== 'HEAD'),
    now,
    sessionLifetimeMs: config.dashboard.sessionLifetimeMs,
  };
}

export function mountDashboard(app: H3, ctx: DaemonContext, opts: DashboardOptions = {}): void {
  const pollMs = opts.pollMs ?? 3000;
  const src: DataSource = { store: ctx.store, health: ctx.health, config: () => ctx.runtime.get().config, now: opts.now ?? Date.now };
  const secretsCache = new WeakMap<Config, string[]>(); // per config object: a reload brings new secrets
  const secretsOf = (c: Config): string[] => {
    let s = secretsCache.get(c);
    if (!s) secretsCache.set(c, (s = secretValuesOf(c)));
    return s;
  };

  const htmlResponse = (status: number, text: string, secrets: string[], extra: Record<string, string>) =>
    new Response(scrubText(text, secrets), { status, headers: { ...PAGE_HEADERS, ...extra } });

  const route = (kind: Kind, handler: (event: H3Event, r: Reply) => Promise<Response>) => async (event: H3Event): Promise<Response> => {
    const config = src.config(); // read per request: a reload may change the token
    const secrets = secretsOf(config);
    const nonce = randomBytes(16).toString('base64');
    const headers = { 'content-security-policy': csp(nonce) };
    const access = decideAccess(accessRequest(event, config, src.now(), ctx.listenHost));
    if (access.kind === 'redirect') {
      // Served over https when the configured public URL is (TLS ends at a proxy); X-Forwarded-Proto is the client's to set.
      const secure = config.webhook.publicUrl.startsWith('https:') || event.url.protocol === 'https:';
      return new Response(null, { status: 303, headers: { location: withoutToken(event.url), 'set-cookie': sessionCookie(access.cookie, secure, access.maxAgeSeconds), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    }
    if (access.kind === 'deny') {
      ctx.logger.warn('dashboard request refused', { path: event.url.pathname, status: access.status, reason: access.detail });
      const challenge: Record<string, string> = access.status === 401 ? { 'www-authenticate': 'Bearer realm="gitea-releases-monitor dashboard"' } : {};
      if (kind === 'api') return jsonResponse(access.status, { error: access.status === 401 ? 'unauthorized' : 'forbidden', detail: access.detail }, { ...API_HEADERS, ...challenge });
      const body = html`<h1>Locked</h1><p>${access.detail}.</p><p class="muted">This is the dashboard of gitea-releases-monitor; the webhook receiver is not affected.</p>`;
      return htmlResponse(access.status, plainPage('Locked', body), secrets, { ...headers, ...challenge });
    }
    const reply: Reply = {
      src,
      now: src.now(),
      json: (body, status = 200) => jsonResponse(status, scrubDeep(body, secrets), API_HEADERS),
      page: (view, title, body, status = 200) => htmlResponse(status, page({ title, current: view, nonce, pollMs, body }), secrets, headers),
    };
    try {
      return await handler(event, reply);
    } catch (e) {
      ctx.logger.error('dashboard request failed', { path: event.url.pathname, error: e });
      if (kind === 'api') return errorResponse('internal', 'the dashboard could not read the records; see the monitor log', API_HEADERS);
      return htmlResponse(500, plainPage('Error', html`<h1>Something went wrong</h1><p>The dashboard could not read the records; see the monitor log.</p>`), secrets, headers);
    }
  };
  const query = (event: H3Event) => parseRunsQuery(event.url.searchParams);
  const runIdOf = (event: H3Event) => getRouterParam(event, 'id', { decode: true }) ?? '';

  // JSON API: the same values the pages render.
  app.get('/ui/api/nodes', route('api', async (_e, r) => r.json(await extractorsView(r.src))));
  app.get('/ui/api/runs', route('api', async (e, r) => {
    const q = query(e);
    return q.ok ? r.json(await runsApi(r.src, q.value)) : errorResponse('bad_request', q.detail, API_HEADERS);
  }));
  app.get('/ui/api/runs/:id', route('api', async (e, r) => {
    const v = await runDetail(r.src, runIdOf(e));
    return v ? r.json(v) : errorResponse('not_found', 'no run with this id', API_HEADERS);
  }));
  app.get('/ui/api/config', route('api', async (_e, r) => r.json(await configView(r.src))));
  app.all('/ui/api/**', route('api', async (e) =>
    e.req.method === 'GET' ? errorResponse('not_found', 'no such dashboard API route', API_HEADERS) : errorResponse('method_not_allowed', 'the dashboard API is read-only', { ...API_HEADERS, allow: 'GET' }),
  ));

  // Pages.
  app.get('/ui/', route('page', async (_e, r) => r.page('extractors', 'Extractors', extractorsBody(await extractorsView(r.src), r.now))));
  app.get('/ui/runs', route('page', async (e, r) => {
    const q = query(e);
    if (!q.ok) return r.page('runs', 'Runs', html`<h1>Runs</h1><p>${q.detail}. <a href="/ui/runs">Show all runs</a></p>`, 400);
    const [v, nodes, health] = await Promise.all([runsApi(r.src, q.value), r.src.store.listNodes(), r.src.health()]);
    const repos = [...new Set([...nodes.map((n) => n.repo), ...health.repos.map((h) => h.repo)])].sort();
    return r.page('runs', 'Runs', runsBody(v, q.value, repos, r.now));
  }));
  app.get('/ui/runs/:id', route('page', async (e, r) => {
    const id = runIdOf(e);
    const v = await runDetail(r.src, id);
    if (!v) return r.page('runs', 'Run not found', html`<h1>No such run</h1><p>There is no run <code>${id}</code>. <a href="/ui/runs">Back to the runs</a></p>`, 404);
    return r.page('runs', `Run ${v.run.run_id}`, runDetailBody(v, r.now));
  }));
  app.get('/ui/config', route('page', async (_e, r) => r.page('config', 'Config', configBody(await configView(r.src), r.now))));
  app.all('/ui/**', route('page', async (e, r) =>
    r.page(null, 'Not found', html`<h1>Not found</h1><p>There is no dashboard page at <code>${e.url.pathname}</code>. <a href="/ui/">Go to the Extractors</a></p>`, e.req.method === 'GET' ? 404 : 405),
  ));
}
