// What /webhook/health, /-/ready and /metrics show to whom: anyone gets status and version; repos,
// rooms and errors only with the dashboard token (bearer), from a direct loopback peer when no
// token is set, or to everyone with server.public_health_details: true. /metrics names no repo.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});

const TOKEN_YAML = 'dashboard: { auth: { token: { env: DASHBOARD_TOKEN } } }';
const health = async (headers: Record<string, string> = {}) => {
  const res = await fetch(d!.url + '/webhook/health', { headers });
  return { status: res.status, body: await res.json() };
};
const declared = async () => expect.poll(async () => (await health({ authorization: `Bearer ${SECRETS.DASHBOARD_TOKEN}` })).body.repos?.length, { timeout: 5000 }).toBe(3);

it('with dashboard.auth: status and version for anyone, the whole body for the bearer token', async () => {
  w = await startWorld({ extraYaml: TOKEN_YAML });
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await declared();
  const anon = await health();
  expect(anon.status).toBe(200);
  expect(Object.keys(anon.body).sort()).toEqual(['status', 'version']);
  expect((await health({ authorization: 'Bearer wrong-token' })).body.repos).toBeUndefined();
  const full = await health({ authorization: `Bearer ${SECRETS.DASHBOARD_TOKEN}` });
  expect(full.body).toMatchObject({ status: anon.body.status, version: anon.body.version, config_hash: expect.any(String), dashboard: '/ui/', role: 'leader' });
  expect(full.body.rooms.map((r: { room: string }) => r.room)).toEqual(['news']);
});

it('without dashboard.auth: a proxied request (not a direct loopback peer) gets no details', async () => {
  w = await startWorld();
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(async () => (await health()).body.repos?.length, { timeout: 5000 }).toBe(3); // direct loopback: details
  const proxied = await health({ 'x-forwarded-for': '203.0.113.7' });
  expect(Object.keys(proxied.body).sort()).toEqual(['status', 'version']);
});

it('server.public_health_details: true shows the details to everyone', async () => {
  w = await startWorld({ extraYaml: TOKEN_YAML });
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace('drain_timeout: 5s }', 'drain_timeout: 5s, public_health_details: true }'));
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(async () => (await health()).body.repos?.length, { timeout: 5000 }).toBe(3);
});

it('/metrics counts hooks by state and never names a repository', async () => {
  w = await startWorld({ extraYaml: TOKEN_YAML });
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await declared();
  await expect.poll(async () => /^monitor_hooks\{state="(ready|pending)"\} [1-3]$/m.test(await (await fetch(d!.url + '/metrics')).text()), { timeout: 5000 }).toBe(true);
  const text = await (await fetch(d.url + '/metrics')).text();
  expect(text).not.toMatch(/dataforge/i);
});
