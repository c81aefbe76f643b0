// The dashboard over real HTTP on the daemon's listener: auth (bearer, ?token= → cookie, refusals),
// the JSON API's shapes (runs exactly as `monitor runs --json` prints them), and no secret anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS } from '../helpers/world.ts';
import { bearer, startDashboardWorld, TOKEN, WITH_TOKEN, type DashboardWorld } from './helpers.ts';
import { run as runsCommand } from '../../src/cli/runs.ts';
import { buildRuntime } from '../../src/runtime/runtime.ts';
import { Secret } from '../../src/secret.ts';
import type { RunsView } from '../../src/records/view.ts';
import type { ConfigView, ExtractorsView, RunDetailView } from '../../src/dashboard/data.ts';

let x: DashboardWorld;
let url: string;
let apiRun: string;
const get = (path: string, headers: Record<string, string> = {}) => fetch(url + path, { headers, redirect: 'manual' });
const json = async <T>(path: string, headers: Record<string, string> = bearer()) => {
  const res = await get(path, headers);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
};

beforeAll(async () => {
  x = await startDashboardWorld({ extraYaml: WITH_TOKEN });
  url = x.d.url;
  await x.w.gitea.push('dataforge/api', { pusher: 'alice', commits: [{ message: 'Add <b>bold</b> endpoint', author: { name: 'Alice', email: 'a@x' } }, { message: 'Fix', author: { name: 'Bob', email: 'b@x' } }] });
  await x.w.gitea.push('dataforge/web', { pusher: 'registry-bot' });
  await x.d.settle();
  apiRun = (await x.d.store.listRuns({ nodeId: 'gitea_push_api' }))[0]!.runId;
});
afterAll(async () => x?.close());

describe('auth with dashboard.auth', () => {
  it('a bearer token opens the API and the pages', async () => {
    for (const p of ['/ui/api/nodes', '/ui/api/runs', `/ui/api/runs/${apiRun}`, '/ui/api/config']) expect((await get(p, bearer())).status, p).toBe(200);
    for (const p of ['/ui/', '/ui', '/ui/runs', `/ui/runs/${apiRun}`, '/ui/config']) {
      const res = await get(p, bearer());
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
  });

  it('a wrong or missing token gets 401: JSON {error, detail} for the API, the locked page for pages', async () => {
    for (const headers of [{}, bearer('wrong-token'), { cookie: `monitor_ui=${TOKEN}` }] as Array<Record<string, string>>) {
      const api = await get('/ui/api/runs', headers);
      expect(api.status).toBe(401);
      expect(api.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(await api.json()).toEqual({ error: 'unauthorized', detail: expect.any(String) });
      const page = await get('/ui/', headers);
      expect(page.status).toBe(401);
      const text = await page.text();
      expect(text).toContain('<h1>Locked</h1>');
      expect(text).not.toContain('gitea_push_api');
    }
    expect((await get('/ui/api/nope')).status).toBe(401); // unknown routes are behind the lock too
  });

  it('?token= sets an HttpOnly, SameSite=Strict cookie (an HMAC, not the token) and redirects without it; the cookie then works', async () => {
    const res = await get(`/ui/runs?repo=dataforge%2Fapi&token=${TOKEN}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/runs?repo=dataforge%2Fapi');
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^monitor_ui=[0-9]+\.[A-Za-z0-9_-]+; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;
    const page = await get('/ui/runs?repo=dataforge%2Fapi', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(apiRun);
    expect((await get('/ui/api/nodes', { cookie })).status).toBe(200);
    expect((await get(`/ui/?token=not-it`)).status).toBe(401);
  });

  it('the cookie is Secure when webhook.public_url is https, never because a client sends X-Forwarded-Proto', async () => {
    const spoofed = await get(`/ui/?token=${TOKEN}`, { 'x-forwarded-proto': 'https' });
    expect(spoofed.headers.get('set-cookie')).not.toMatch(/Secure/);
    const before = x.d.runtime.get();
    x.d.runtime.swap(buildRuntime({ ...before.config, webhook: { ...before.config.webhook, publicUrl: 'https://monitor.example.com/webhook/gitea' } }));
    try {
      expect((await get(`/ui/?token=${TOKEN}`)).headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      x.d.runtime.swap(before);
    }
  });

  it('reads the token on every request: after a reload with a new token the old token and cookie are refused', async () => {
    const before = x.d.runtime.get();
    const cookie = (await get(`/ui/?token=${TOKEN}`)).headers.get('set-cookie')!.split(';')[0]!;
    x.d.runtime.swap(buildRuntime({ ...before.config, dashboard: { ...before.config.dashboard, token: new Secret('rotated-dashboard-token') } }));
    try {
      expect((await get('/ui/api/nodes', bearer())).status).toBe(401);
      expect((await get('/ui/api/nodes', { cookie })).status).toBe(401);
      expect((await get('/ui/api/nodes', bearer('rotated-dashboard-token'))).status).toBe(200);
    } finally {
      x.d.runtime.swap(before);
    }
    expect((await get('/ui/api/nodes', { cookie })).status).toBe(200);
  });

  it('health answers everyone with status and version, and the token holder with the details', async () => {
    expect((await get('/webhook/health')).status).toBe(200);
    expect(Object.keys(await (await get('/webhook/health')).json()).sort()).toEqual(['status', 'version']);
    expect(await (await get('/webhook/health', bearer())).json()).toMatchObject({ dashboard: '/ui/' });
  });
});

describe('JSON API', () => {
  it('/ui/api/runs is exactly what `monitor runs --json` prints for the same records', async () => {
    const api = await json<RunsView>('/ui/api/runs');
    let out = '';
    const code = await runsCommand(['-c', x.w.configFile, '--json'], { stdout: (t) => (out += t), stderr: () => {}, env: x.w.env, cwd: x.w.dir });
    expect(code).toBe(0);
    expect(api.body).toEqual(JSON.parse(out));
    expect(api.body.runs.map((r) => [r.repo, r.status])).toEqual([['dataforge/web', 'skipped'], ['dataforge/api', 'announced']]);
    expect(api.body.runs[1]).toMatchObject({ node_id: 'gitea_push_api', event: 'push', ref: 'refs/heads/main', commits: 2, trigger: 'webhook', latency_ms: expect.any(Number) });
  });

  it('filters runs by repo, node and status, and refuses a bad filter with 400 {error, detail}', async () => {
    const byRepo = await json<RunsView>('/ui/api/runs?repo=dataforge/api');
    expect(byRepo.body.runs.map((r) => r.repo)).toEqual(['dataforge/api']);
    expect(byRepo.body.nodes.map((n) => n.node_id)).toEqual(['gitea_push_api']);
    expect((await json<RunsView>('/ui/api/runs?node=gitea_push_web')).body.runs.map((r) => r.status)).toEqual(['skipped']);
    expect((await json<RunsView>('/ui/api/runs?status=skipped')).body.runs.map((r) => r.repo)).toEqual(['dataforge/web']);
    expect((await json<RunsView>('/ui/api/runs?limit=1')).body.runs).toHaveLength(1);
    for (const q of ['status=bogus', 'limit=0', 'limit=abc', 'repo=noslash']) {
      const r = await json<{ error: string; detail: string }>(`/ui/api/runs?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body).toEqual({ error: 'bad_request', detail: expect.any(String) });
    }
  });

  it('/ui/api/runs/:id has the run, its call chain and the notice as posted with its room', async () => {
    const { body } = await json<RunDetailView>(`/ui/api/runs/${apiRun}`);
    expect(body.run).toMatchObject({ run_id: apiRun, repo: 'dataforge/api', status: 'announced' });
    expect(body.calls.map((c) => c.step)).toEqual(['receive', 'verify', 'dedupe', 'enqueue', 'render', 'record', 'matrix.send']);
    expect(body.calls[0]).toMatchObject({ offset_ms: 0, outcome: 'ok', started_at: expect.stringMatching(/Z$/) });
    expect(body.notices).toHaveLength(1);
    const n = body.notices[0]!;
    expect(n).toMatchObject({ kind: 'notice', room: 'news', room_target: '#fn-registry-news:localhost', status: 'sent', event_id: expect.stringMatching(/^\$/) });
    expect(n.content).toMatchObject({ msgtype: 'm.notice', 'm.mentions': {}, body: expect.stringContaining('alice pushed 2 commits') });
    expect(n.content!.formatted_body).toContain('Add &lt;b&gt;bold&lt;/b&gt; endpoint');
    const missing = await json<{ error: string }>('/ui/api/runs/run_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
  });

  it('/ui/api/nodes has one row per node with runs in the last 24 h and the hook state from health', async () => {
    const { body } = await json<ExtractorsView>('/ui/api/nodes');
    const byNode = Object.fromEntries(body.nodes.map((n) => [n.node_id, n]));
    expect(byNode.gitea_push_api).toMatchObject({ repo: 'dataforge/api', last_status: 'announced', runs: 1, runs_24h: 1, hook: { state: 'ready' } });
    expect(byNode.gitea_push_web).toMatchObject({ last_status: 'skipped', runs_24h: 1, hook: { state: 'ready' } });
    expect(byNode.gitea_push_pipelines).toMatchObject({ last_run_at: null, runs: 0, hook: { state: 'pending', detail: expect.stringContaining('waiting') } });
    expect(Date.parse(byNode.gitea_push_api!.last_run_at!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('/ui/api/config has the hash and the rooms with their join state', async () => {
    const { body } = await json<ConfigView>('/ui/api/config');
    expect(body).toEqual({
      version: expect.any(String), status: 'ok', config_hash: x.d.runtime.get().config.hash, reload: null, auth: 'token',
      rooms: [{ room: 'news', target: '#fn-registry-news:localhost', state: 'joined', detail: expect.stringMatching(/^!/) }],
    });
  });

  it('is read-only: other methods get 405, unknown routes 404', async () => {
    const post = await fetch(url + '/ui/api/runs', { method: 'POST', headers: bearer() });
    expect(post.status).toBe(405);
    expect((await get('/ui/api/nope', bearer())).status).toBe(404);
    expect((await get('/ui/nope', bearer())).status).toBe(404);
    expect((await get('/ui/runs/run_nope', bearer())).status).toBe(404);
  });
});

describe('pages', () => {
  it('carry a CSP whose only script is the page\'s own, by nonce', async () => {
    const res = await get('/ui/', bearer());
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const text = await res.text();
    expect(text.match(/<script/g)).toHaveLength(1);
    expect(text).toContain(`<script nonce="${nonce}">`);
    expect(text).not.toMatch(/<(script|link)[^>]+src=|https?:\/\/(?!127\.0\.0\.1)/); // nothing from a CDN
  });
});

describe('secrets', () => {
  it('no page, API body or header carries the dashboard token, the webhook secret, the Matrix or the Gitea token', async () => {
    const paths = ['/ui/', '/ui/runs', '/ui/runs?status=bogus', `/ui/runs/${apiRun}`, '/ui/config', '/ui/nope', '/ui/api/nodes', '/ui/api/runs', `/ui/api/runs/${apiRun}`, '/ui/api/config', '/ui/api/nope'];
    const seen: string[] = [];
    for (const headers of [bearer(), {}, bearer('wrong')]) {
      for (const p of paths) {
        const res = await get(p, headers);
        seen.push(`${p} ${res.status} ${[...res.headers].join(' ')}\n${await res.text()}`);
      }
    }
    const redirect = await get(`/ui/?token=${TOKEN}`);
    seen.push([...redirect.headers].join(' ') + (await redirect.text()));
    expect(seen.join('\n').length).toBeGreaterThan(10_000);
    for (const s of Object.values(SECRETS)) expect(seen.filter((t) => t.includes(s)).map((t) => t.split('\n')[0])).toEqual([]);
  });

  it('redacts a secret that reaches a shown value anyway (here: pasted as a room target)', async () => {
    const before = x.d.runtime.get();
    const c = before.config;
    x.d.runtime.swap(buildRuntime({ ...c, matrix: { ...c.matrix, rooms: { ...c.matrix.rooms, oops: SECRETS.WEBHOOK_SECRET } } }));
    try {
      for (const p of ['/ui/api/config', '/ui/config']) {
        const text = await (await get(p, bearer())).text();
        expect(text, p).toContain('[redacted]');
        expect(text, p).not.toContain(SECRETS.WEBHOOK_SECRET);
      }
    } finally {
      x.d.runtime.swap(before);
    }
  });
});

describe('without dashboard.auth', () => {
  let y: DashboardWorld;
  beforeAll(async () => {
    y = await startDashboardWorld();
  });
  afterAll(async () => y?.close());

  it('answers a loopback peer, with no credentials', async () => {
    expect(new URL(y.d.url).hostname).toBe('127.0.0.1');
    expect((await fetch(y.d.url + '/ui/')).status).toBe(200);
    const config = await fetch(y.d.url + '/ui/api/config');
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ auth: 'loopback' });
  });

  it('refuses a request that came through a proxy (the real peer is unknown) with 403', async () => {
    for (const h of [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }, { 'x-real-ip': '203.0.113.7' }] as Array<Record<string, string>>) {
      const api = await fetch(y.d.url + '/ui/api/runs', { headers: h });
      expect(api.status).toBe(403);
      expect(await api.json()).toEqual({ error: 'forbidden', detail: expect.stringContaining('dashboard.auth') });
      const page = await fetch(y.d.url + '/ui/', { headers: h });
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('<h1>Locked</h1>');
    }
  });
});
