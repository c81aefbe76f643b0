// /metrics carries the contract's Prometheus names with real values after a push; /webhook/health
// has the contract's shape; neither shows a secret.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';
import { VERSION } from '../../src/version.ts';

let w: World;
let d: Daemon;
beforeAll(async () => {
  w = await startWorld();
  d = await startWorldDaemon(w, { hooks: superviseHooks, reload: { env: w.env, cwd: w.dir } });
  // Reconcile installs the hooks (a test delivery from each makes it ready).
  const end = Date.now() + 5000;
  // Each new hook's test delivery (reconcile asks Gitea for one) turns its repo ready.
  const ready = async () => (await (await fetch(d.url + '/webhook/health')).json()).repos.filter((r: { hook: string }) => r.hook === 'ready').length;
  while ((await ready()) < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  await w.gitea.idle(); // the test deliveries reconcile asked for
  await d.settle();
});
afterAll(async () => {
  await d.stop();
  await w.close();
});

it('exposes the contract metrics', async () => {
  const text = await (await fetch(d.url + '/metrics')).text();
  // The push, and the test delivery reconcile asks for from each new hook.
  const accepted = w.gitea.deliveries.filter((x) => x.event === 'push' && x.status === 202).length;
  expect(accepted).toBe(4);
  expect(text).toMatch(new RegExp(`^monitor_deliveries_total\\{event="push",outcome="accepted"\\} ${accepted}$`, 'm'));
  expect(text).toMatch(/^monitor_notice_latency_seconds_count 1$/m);
  expect(text).toMatch(/^monitor_notices_total\{kind="notice"\} 1$/m);
  expect(text).toMatch(/^monitor_send_retries_total 0$/m);
  expect(text).toMatch(/^# TYPE monitor_queue_depth gauge$/m);
  expect(text).toMatch(/^monitor_reconcile_actions_total\{action="create"\} 3$/m);
  expect(text).toMatch(/^monitor_config_last_reload_successful 1$/m);
  expect(text).toMatch(/^monitor_config_last_reload_success_timestamp_seconds \d+/m);
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
});

it('health lists each declared repo with its hook state', async () => {
  await expect.poll(async () => (await (await fetch(d.url + '/webhook/health')).json()).repos.filter((r: { hook: string }) => r.hook === 'ready').length, { timeout: 5000 }).toBe(3);
  const res = await fetch(d.url + '/webhook/health');
  const h = await res.json();
  expect(res.status).toBe(200);
  expect(h).toMatchObject({ status: 'ok', version: expect.any(String), config_hash: d.runtime.get().config.hash, dashboard: '/ui/', role: 'leader' });
  expect(h.repos.map((r: { repo: string }) => r.repo).sort()).toEqual(['dataforge/api', 'dataforge/pipelines', 'dataforge/web']);
  const text = JSON.stringify(h);
  for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
});

it('answers HEAD on the probe and scrape routes like GET, without a body', async () => {
  for (const path of ['/-/healthy', '/-/ready', '/webhook/health', '/metrics']) {
    const get = await fetch(d.url + path);
    await get.arrayBuffer();
    const head = await fetch(d.url + path, { method: 'HEAD' });
    expect(head.status, path).toBe(get.status);
    expect(head.headers.get('content-type'), path).toBe(get.headers.get('content-type'));
    expect(await head.text(), path).toBe('');
  }
});

it('exposes monitor_build_info{version,node} = 1', async () => {
  const text = await (await fetch(d.url + '/metrics')).text();
  expect(text).toContain(`monitor_build_info{version="${VERSION}",node="${process.version}"} 1`);
});
