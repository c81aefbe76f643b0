// The webhook route is answered on node:http itself, before h3 (issue 13: no web Request/Response per
// delivery). Only its exact path and method go there, with any query; every other request reaches h3
// as before, and a route that throws answers as h3's onError does.
import { afterEach, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withDirectRoutes } from '../../src/http/server.ts';
import { jsonAnswer } from '../../src/http/errors.ts';

let server: Server;
afterEach(() => new Promise<void>((r) => server.close(() => r())));

const failures: string[] = [];
async function serve(route: () => Promise<ReturnType<typeof jsonAnswer>>) {
  server = createServer(
    withDirectRoutes(
      { 'POST /webhook/gitea': route },
      (_req, res) => {
        res.writeHead(299, { 'content-type': 'text/plain' });
        res.end('fallback');
      },
      (e, req) => void failures.push(`${req.url}: ${(e as Error).message}`),
    ),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('answers the exact method and path (any query) directly, with the JSON headers every answer has', async () => {
  const url = await serve(async () => jsonAnswer(202, { accepted: true }, { 'x-extra': '1' }));
  for (const path of ['/webhook/gitea', '/webhook/gitea?secret=no']) {
    const res = await fetch(url + path, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-extra')).toBe('1');
    expect(await res.json()).toEqual({ accepted: true });
  }
});

it('leaves every other method and spelling to the fallback (h3)', async () => {
  const url = await serve(async () => jsonAnswer(202, {}));
  for (const [method, path] of [['GET', '/webhook/gitea'], ['POST', '/webhook/gitea/'], ['POST', '/webhook/Gitea'], ['POST', '/webhook/health']]) {
    const res = await fetch(url + path, { method, body: method === 'POST' ? '{}' : undefined });
    expect([method, path, res.status, await res.text()]).toEqual([method, path, 299, 'fallback']);
  }
});

it('a route that throws answers 500 {error: internal}, hands the error to onError (the log) and the server goes on', async () => {
  let calls = 0;
  const url = await serve(async () => {
    if (++calls === 1) throw new Error('boom with a secret');
    return jsonAnswer(202, { accepted: true });
  });
  const res = await fetch(url + '/webhook/gitea', { method: 'POST', body: '{}' });
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ error: 'internal', detail: 'internal error' });
  expect(failures).toEqual(['/webhook/gitea: boom with a secret']);
  expect((await fetch(url + '/webhook/gitea', { method: 'POST', body: '{}' })).status).toBe(202);
});
