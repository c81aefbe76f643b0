// The Gitea client against a scripted HTTP server on loopback: auth header, paging headers,
// retries (with an injected sleep, so nothing waits), timeouts, errors and the concurrency bound.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGiteaClient, type GiteaClientOptions } from '../../../src/adapters/gitea/client.ts';
import { GiteaError } from '../../../src/adapters/gitea/errors.ts';
import type { HookBody } from '../../../src/adapters/gitea/types.ts';
import { memoryLogger } from '../../../src/log.ts';
import { Secret } from '../../../src/secret.ts';

const TOKEN = 'tok-9d8e7f6a5b';
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', ...headers });
  res.end(status === 204 ? undefined : JSON.stringify(body) + '\n');
};
const sleeps: number[] = [];
function client(over: Partial<GiteaClientOptions> = {}) {
  sleeps.length = 0;
  return createGiteaClient({ baseUrl: base, token: new Secret(TOKEN), timeoutMs: 2000, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...over });
}
const body: HookBody = { type: 'gitea', config: { url: 'https://m.example/webhook/gitea', content_type: 'json' }, events: ['push'], branch_filter: '', authorization_header: '', active: true };
const repo = { kind: 'repo' as const, repo: 'dataforge/api' };

async function failure(p: Promise<unknown>): Promise<GiteaError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(GiteaError);
  return err as GiteaError;
}

describe('requests', () => {
  it('authenticates with "token", pages with page/limit and reads X-Total-Count', async () => {
    handler = (_req, _b, res) => json(res, 200, [{ id: 1, name: 'api', full_name: 'dataforge/api' }], { 'X-Total-Count': '51' });
    const c = client({ baseUrl: base + '/' });
    const page = await c.listOwnerRepos('dataforge', 'org', 2, 50);
    expect(page).toEqual({ items: [{ id: 1, name: 'api', full_name: 'dataforge/api' }], total: 51 });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/orgs/dataforge/repos?page=2&limit=50', auth: `token ${TOKEN}` });
    await c.listOwnerRepos('alice', 'user', 1, 50);
    await createGiteaClient({ baseUrl: base + '/api/v1', token: new Secret(TOKEN) }).listHooks({ kind: 'org', org: 'df' }, 1, 50);
    expect(seen.map((s) => s.url)).toEqual(['/api/v1/orgs/dataforge/repos?page=2&limit=50', '/api/v1/users/alice/repos?page=1&limit=50', '/api/v1/orgs/df/hooks?page=1&limit=50']);
    expect(c.stats()).toEqual({ requests: 2, retries: 0 });
  });

  it('sends the secret only on create, the full body on PATCH, and takes a 404 on DELETE as gone', async () => {
    handler = (req, _b, res) => (req.method === 'DELETE' ? json(res, 404, { errors: null, message: 'not found' }) : json(res, req.method === 'POST' ? 201 : 200, { id: 5, ...body }));
    const c = client();
    await c.createHook(repo, body, new Secret('hook-secret'));
    await c.editHook(repo, 5, body);
    expect(await c.deleteHook(repo, 5)).toEqual({ existed: false });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/v1/repos/dataforge/api/hooks', 'PATCH /api/v1/repos/dataforge/api/hooks/5', 'DELETE /api/v1/repos/dataforge/api/hooks/5']);
    expect(JSON.parse(seen[0]!.body)).toEqual({ ...body, config: { ...body.config, secret: 'hook-secret' } });
    expect(JSON.parse(seen[1]!.body)).toEqual(body);
  });
});

describe('retries', () => {
  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    let n = 0;
    handler = (_req, _b, res) => (++n < 3 ? json(res, n === 1 ? 500 : 502, { message: 'boom' }) : json(res, 200, [], { 'X-Total-Count': '0' }));
    const c = client();
    expect(await c.listHooks(repo, 1, 50)).toEqual({ items: [], total: 0 });
    expect(sleeps).toEqual([150, 300]); // ceilings 200, 400; half fixed + random 0.5 of the other half
    expect(c.stats()).toEqual({ requests: 3, retries: 2 });
  });

  it('honours Retry-After on 429', async () => {
    let n = 0;
    handler = (_req, _b, res) => (n++ === 0 ? json(res, 429, { message: 'slow down' }, { 'Retry-After': '2' }) : json(res, 200, { version: '1.25.4' }));
    const c = client();
    expect(await c.version()).toBe('1.25.4');
    expect(sleeps).toEqual([2000]);
  });

  it('gives up after the configured retries', async () => {
    handler = (_req, _b, res) => json(res, 503, { message: 'maintenance' });
    const err = await failure(client({ retries: 2 }).listHooks(repo, 1, 50));
    expect(err).toMatchObject({ kind: 'server', status: 503, message: 'Gitea answered 503 for GET /repos/dataforge/api/hooks: maintenance' });
    expect(seen).toHaveLength(3);
  });

  it('does not retry 4xx answers', async () => {
    handler = (_req, _b, res) => json(res, 422, { message: 'Invalid content type' });
    const err = await failure(client().createHook(repo, body, new Secret('s')));
    expect(err).toMatchObject({ kind: 'invalid', message: 'Gitea refused POST /repos/dataforge/api/hooks for dataforge/api: Invalid content type' });
    expect(seen).toHaveLength(1);
  });

  it('a finished call leaves no timer or shutdown listener behind (issue 13: no timeout firing after the answer)', async () => {
    handler = (_req, _b, res) => json(res, 200, []);
    const shutdown = new AbortController();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const c = client({ timeoutMs: 60_000, signal: shutdown.signal });
    for (let i = 0; i < 5; i++) await c.listHooks(repo, 1, 50);
    expect(timers()).toBeLessThanOrEqual(before); // (a timer of an earlier test file may end meanwhile)
    // Each call's listener on the shutdown signal is removed when it ends: aborting later is a no-op for them.
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('retries a GET that timed out, but not a POST (it may have been created)', async () => {
    handler = () => {}; // never answers
    const get = await failure(client({ timeoutMs: 50, retries: 1 }).listHooks(repo, 1, 50));
    expect(get).toMatchObject({ kind: 'timeout', message: 'Gitea did not answer GET /repos/dataforge/api/hooks within 50 ms (gitea.timeout)' });
    expect(seen).toHaveLength(2);
    seen.length = 0;
    const post = await failure(client({ timeoutMs: 50, retries: 1 }).createHook(repo, body, new Secret('s')));
    expect(post.kind).toBe('timeout');
    expect(seen).toHaveLength(1);
    server.closeAllConnections();
  });

  it('reports an unreachable Gitea as a network error, after retrying', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = client({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(c.version());
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(new RegExp(`^cannot reach Gitea at http://127.0.0.1:${port} \\(gitea.url\\): .*ECONNREFUSED`));
    expect(c.stats()).toEqual({ requests: 4, retries: 3 });
  });
});

describe('errors an operator can act on', () => {
  it.each([
    [401, 'invalid username, password or token', repo, 'Gitea rejected the token (gitea.token): invalid username, password or token'],
    [403, 'token does not have at least one of required scope(s), required=[write:repository], token scope=read:repository', repo, 'gitea.token lacks the scope write:repository (it has read:repository), which managing the hooks of dataforge/api needs: give the token that scope'],
    [403, 'token does not have at least one of required scope(s): [write:organization]', { kind: 'org' as const, org: 'dataforge' }, 'gitea.token lacks the scope write:organization, which managing the hooks of dataforge needs: give the token that scope'],
    [403, 'user should be an owner or a collaborator with admin write of a repository', repo, "the token's user may not manage the hooks of dataforge/api: repository hooks need an admin of the repository: user should be an owner or a collaborator with admin write of a repository"],
    [403, 'Must be an organization owner', { kind: 'org' as const, org: 'dataforge' }, "the token's user may not manage the hooks of dataforge: org hooks need an owner of the organisation: Must be an organization owner"],
    [403, 'webhooks disabled by administrator', repo, 'webhooks disabled by administrator: Gitea refuses every hook ([security] DISABLE_WEBHOOKS = true on the Gitea server)'],
    [404, 'not found', repo, 'repository dataforge/api not found on Gitea (or the token cannot see it)'],
  ])('%i "%s"', async (status, message, target, expected) => {
    handler = (_req, _b, res) => json(res, status, { message, url: `${base}/api/swagger` });
    const err = await failure(client().createHook(target, body, new Secret('s')));
    expect(err.message).toBe(expected);
    expect(err.status).toBe(status);
  });

  it('never puts the token in an error or a log line, even when the server echoes it', async () => {
    handler = (req, _b, res) => json(res, 500, { message: `bad header ${req.headers.authorization}` });
    const log = memoryLogger();
    const err = await failure(client({ logger: log, retries: 1 }).listHooks(repo, 1, 50));
    expect(err.message).toBe('Gitea answered 500 for GET /repos/dataforge/api/hooks: bad header token [redacted]');
    expect(log.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
    expect(String(err.stack)).not.toContain(TOKEN);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    handler = (_req, _b, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, [], { 'X-Total-Count': '0' });
      }, 5);
    };
    const c = client({ concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.listHooks({ kind: 'repo', repo: `o/r${i}` }, 1, 50)));
    expect(most).toBe(3);
    expect(seen).toHaveLength(20);
  });
});
