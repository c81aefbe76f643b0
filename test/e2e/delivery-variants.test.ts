// Deliveries as they really arrive, through the daemon: Forgejo's own headers only, Gitea's `form`
// content type, Gitea served under a sub-path, and a homeserver 429 whose retry hint is honoured.
import { afterEach, expect, it } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';
import { createGiteaClient } from '../../src/adapters/gitea/client.ts';
import { Secret } from '../../src/secret.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon | null = null;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await d?.stop();
  d = null;
  for (const c of closers.splice(0)) await c();
  await w.close();
});
const body = (m: { content: unknown }) => String((m.content as { body: string }).body);

async function addHook(repo: string, url: string, contentType: 'json' | 'form') {
  const res = await fetch(`${w.gitea.url}/api/v1/repos/${repo}/hooks`, {
    method: 'POST',
    headers: { authorization: `token ${SECRETS.GITEA_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'gitea', active: true, events: ['push'], config: { url, content_type: contentType, secret: SECRETS.WEBHOOK_SECRET } }),
  });
  expect(res.status).toBe(201);
}

it('accepts a Forgejo delivery that carries only X-Forgejo-* headers', async () => {
  w = await startWorld({ window: '1ms' });
  d = await startWorldDaemon(w);
  // A push payload exactly as the forge signs it (its hook points nowhere; we replay it as Forgejo).
  await addHook('dataforge/api', 'http://127.0.0.1:9/nowhere', 'json');
  const [sent] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  const id = randomUUID();
  const res = await fetch(d.url + '/webhook/gitea', {
    method: 'POST',
    body: sent!.payload,
    headers: {
      'content-type': 'application/json',
      'x-forgejo-event': 'push',
      'x-forgejo-event-type': 'push',
      'x-forgejo-delivery': id,
      'x-forgejo-signature': createHmac('sha256', SECRETS.WEBHOOK_SECRET).update(sent!.payload).digest('hex'),
    },
  });
  expect(res.status).toBe(202);
  expect(await res.json()).toMatchObject({ accepted: true, delivery: id });
  const [msg] = await w.hs.waitForMessages(ROOM, 1, 3000);
  expect(body(msg!)).toContain('[dataforge/api] alice pushed 1 commit to main');
  await d.settle();
  expect((await d.store.listRuns({}))[0]).toMatchObject({ deliveryId: id, status: 'announced' });
});

it('accepts a hook configured with Gitea\'s form content type (payload field, signature over the JSON)', async () => {
  w = await startWorld({ window: '1ms' });
  d = await startWorldDaemon(w);
  await addHook('dataforge/web', w.publicUrl, 'form');
  const [delivery] = await w.gitea.push('dataforge/web', { pusher: 'bob', commits: [{ message: 'Form & "quotes" é', author: { name: 'Bob', email: 'bob@example.com' } }] });
  expect(delivery!.requestHeaders['Content-Type']).toBe('application/x-www-form-urlencoded');
  expect(delivery!.body.startsWith('payload=')).toBe(true);
  expect(delivery!.status).toBe(202);
  const [msg] = await w.hs.waitForMessages(ROOM, 1, 3000);
  expect(body(msg!)).toContain('Form & "quotes" é (Bob)');
});

/** A reverse proxy that serves Gitea under `/gitea` (ROOT_URL https://host/gitea/), as many installs do. */
async function subPathProxy(target: string): Promise<{ url: string; paths: string[] }> {
  const up = new URL(target);
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (!req.url?.startsWith('/gitea/')) return void res.writeHead(404).end();
    const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url.slice('/gitea'.length), headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

it('works with Gitea under a sub-path (gitea.url https://host/gitea): the client and reconcile', async () => {
  w = await startWorld();
  const proxy = await subPathProxy(w.gitea.url);
  const client = createGiteaClient({ baseUrl: `${proxy.url}/gitea/`, token: new Secret(SECRETS.GITEA_TOKEN) });
  expect((await client.listOwnerRepos('dataforge', 'org', 1, 50)).items.map((r) => r.full_name)).toContain('dataforge/api');
  expect(proxy.paths.at(-1)).toMatch(/^\/gitea\/api\/v1\/orgs\/dataforge\/repos\?/);

  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace(`gitea: { url: ${w.gitea.url},`, `gitea: { url: ${proxy.url}/gitea,`));
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  const ours = (repo: string) => w.gitea.hooks(repo).filter((h) => h.url === w.publicUrl);
  await expect.poll(() => ['dataforge/api', 'dataforge/web', 'dataforge/pipelines'].every((r) => ours(r).length === 1), { timeout: 8000 }).toBe(true);
  expect(proxy.paths.some((p) => p.startsWith('/gitea/api/v1/repos/dataforge/api/hooks'))).toBe(true);
  expect(proxy.paths.every((p) => p.startsWith('/gitea/'))).toBe(true);
});

it('a 429 with retry_after_ms is retried no earlier than the homeserver asked (backoff alone would be sooner)', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks(['dataforge/api']);
  d = await startWorldDaemon(w);
  // The first retry's backoff is 250–500 ms: a 2 s hint must win.
  w.hs.inject429(1, { retryAfterMs: 2000 });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 8000);
  // The request log is written once the answer is sent, just after the message is stored.
  const sends = () => w.hs.requests.filter((r) => r.txnId !== undefined);
  await expect.poll(() => sends().map((r) => r.status), { timeout: 2000 }).toEqual([429, 200]);
  const [limited, ok] = sends() as [(typeof w.hs.requests)[number], (typeof w.hs.requests)[number]];
  expect(ok.txnId).toBe(limited.txnId);
  expect(ok.at - limited.at).toBeGreaterThanOrEqual(1990);
});
