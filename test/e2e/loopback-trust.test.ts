// Without dashboard.auth, /ui/ and POST /-/reload trust only what this machine sends: a foreign Host
// (DNS rebinding), a cross-origin POST (CSRF) and any listener that is not loopback-only are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { mountDashboard } from '../../src/dashboard/mount.ts';

/** A raw request, so the Host header can be anything (fetch sets it from the URL). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const reloads = async (d: Daemon) => (await d.metrics.reloads.get()).values.reduce((n, v) => n + v.value, 0);

let w: World;
afterAll(async () => w?.close());
beforeAll(async () => {
  w = await startWorld();
});

describe('a loopback-only listener without dashboard.auth', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startWorldDaemon(w, { mount: mountDashboard, reload: { env: w.env, cwd: w.dir } });
  });
  afterAll(async () => d?.stop());

  it('serves /ui/ to a loopback Host, refuses a foreign Host (DNS rebinding)', async () => {
    const host = new URL(d.url).host;
    expect((await raw(d.url, 'GET', '/ui/api/nodes', { host })).status).toBe(200);
    expect((await raw(d.url, 'GET', '/ui/api/nodes', { host: `localhost:${new URL(d.url).port}` })).status).toBe(200);
    const rebound = await raw(d.url, 'GET', '/ui/api/nodes', { host: 'attacker.example' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).detail).toMatch(/Host header/);
    expect((await raw(d.url, 'POST', '/-/reload', { host: 'attacker.example' })).status).toBe(403);
  });

  it('a cross-origin text/plain POST to /-/reload does not reload; a local one does', async () => {
    const host = new URL(d.url).host;
    const before = await reloads(d);
    const csrf = await raw(d.url, 'POST', '/-/reload', { host, origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, 'x');
    expect(csrf.status).toBe(403);
    expect(JSON.parse(csrf.body)).toEqual({ error: 'forbidden', detail: expect.stringMatching(/cross-origin/) });
    expect(await reloads(d)).toBe(before);
    expect((await raw(d.url, 'POST', '/-/reload', { host })).status).toBe(200);
    expect(await reloads(d)).toBe(before + 1);
  });
});

describe('listening on 0.0.0.0 without dashboard.auth', () => {
  let d: Daemon;
  beforeAll(async () => {
    d = await startWorldDaemon(w, { mount: mountDashboard, reload: { env: w.env, cwd: w.dir }, listen: { host: '0.0.0.0', port: 0 } });
  });
  afterAll(async () => d?.stop());

  it('the dashboard and /-/reload refuse even a loopback peer, naming dashboard.auth; the webhook still answers', async () => {
    const ui = await fetch(d.url + '/ui/api/nodes');
    expect(ui.status).toBe(403);
    expect((await ui.json()).detail).toMatch(/dashboard\.auth.*not loopback-only/);
    const before = await reloads(d);
    const reload = await fetch(d.url + '/-/reload', { method: 'POST' });
    expect(reload.status).toBe(403);
    expect((await reload.json()).detail).toMatch(/dashboard\.auth/);
    expect(await reloads(d)).toBe(before);
    expect((await fetch(d.url + '/-/healthy')).status).toBe(200);
  });
});
