// No secret ever leaves the process: after a run of normal and failing work (wrong signatures, a
// token Gitea rejects, a homeserver that refuses), no log line, error body, health body, readiness
// answer or metric contains the webhook secret, the Gitea token, the Matrix token or the dashboard token.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import type { memoryLogger } from '../../src/log.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';
import { mountDashboard } from '../../src/dashboard/mount.ts';

let w: World;
let d: Daemon & { logs: ReturnType<typeof memoryLogger> };
const bodies: string[] = [];
let reloadRefused = 0;

beforeAll(async () => {
  w = await startWorld({ extraYaml: 'dashboard: { auth: { token: { env: DASHBOARD_TOKEN } } }' });
  await w.installHooks();
  d = await startWorldDaemon(w, { hooks: superviseHooks, mount: mountDashboard, reload: { env: w.env, cwd: w.dir } });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  // Failures that quote what they got: a signature made with another secret, a token Gitea refuses.
  const body = '{"ref":"refs/heads/main"}';
  for (const sig of [createHmac('sha256', 'other').update(body).digest('hex'), SECRETS.WEBHOOK_SECRET, 'x'])
    bodies.push(await (await fetch(d.url + '/webhook/gitea', { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-signature': sig } })).text());
  w.gitea.failNext('GET', /hooks/, 401, 3);
  w.hs.injectError(2, 401, 'M_UNKNOWN_TOKEN');
  await w.gitea.push('dataforge/web', { pusher: 'bob' });
  await fetch(d.url + '/-/reload', { method: 'POST', headers: { authorization: `Bearer ${SECRETS.DASHBOARD_TOKEN}` } });
  await w.hs.waitForMessages(ROOM, 2, 10_000);
  await d.settle();
  for (const path of ['/webhook/health', '/-/ready', '/-/healthy', '/metrics', '/nope']) bodies.push(await (await fetch(d.url + path)).text());
  const refused = await fetch(d.url + '/-/reload', { method: 'POST', headers: { authorization: 'Bearer wrong' } });
  reloadRefused = refused.status;
  bodies.push(await refused.text());
}, 30_000);
afterAll(async () => {
  await d.stop();
  await w.close();
});

it('logs, error bodies, health, readiness and metrics never contain a secret', () => {
  const logs = d.logs.lines.map((l) => JSON.stringify(l)).join('\n');
  expect(d.logs.lines.length).toBeGreaterThan(10);
  expect(logs).toContain('delivery rejected'); // the failures above were logged
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(logs, name).not.toContain(value);
    for (const b of bodies) expect(b, name).not.toContain(value);
  }
});

it('POST /-/reload refuses a wrong token', () => {
  expect(reloadRefused).toBe(401);
});

it('readiness says whether deliveries can be stored', async () => {
  const r = await fetch(d.url + '/-/ready');
  expect(r.status).toBe(200);
  expect(await r.json()).toMatchObject({ ready: true });
  expect((await fetch(d.url + '/-/healthy')).status).toBe(200);
});
