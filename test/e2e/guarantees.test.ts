// Delivery guarantees in-process: the rate limit merges a burst into one digest; a homeserver that
// rate-limits or is down delays notices, never drops or doubles them, and keeps room order; a 403
// re-joins; a notice that cannot be sent for matrix.give_up_after fails visibly and `retry` resends.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { main } from '../../src/cli/main.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const bodies = () => w.hs.messages(ROOM).map((m) => String((m.content as { body: string }).body));

it('6 pushes to one repo in 1 s with a 3 s window: one notice at once, one digest for the other 5, nothing else', async () => {
  w = await startWorld({ window: '3s' });
  await w.installHooks();
  d = await startWorldDaemon(w);
  const t0 = Date.now();
  for (let i = 0; i < 6; i++) await w.gitea.push('dataforge/api', { pusher: i % 2 ? 'bob' : 'alice', commits: i + 1, branch: i === 5 ? 'main' : 'main' });
  expect(Date.now() - t0).toBeLessThan(1000);
  await w.hs.waitForMessages(ROOM, 1, 1000);
  expect(bodies()[0]).toMatch(/^\[dataforge\/api\] alice pushed 1 commit to main/);
  const [, digest] = await w.hs.waitForMessages(ROOM, 2, 5000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(2900);
  expect(String((digest!.content as { body: string }).body)).toMatch(/^\[dataforge\/api\] 5 pushes, 20 commits to main by bob, alice since the last notice/);
  await d.settle();
  const runs = await d.store.listRuns({});
  expect(runs.map((r) => r.status).sort()).toEqual(['announced', 'digested', 'digested', 'digested', 'digested', 'digested']);
  // Nothing else arrives in the next window.
  await new Promise((r) => setTimeout(r, 3200));
  expect(w.hs.messages(ROOM)).toHaveLength(2);
});

it('a homeserver answering 429 twice and then down for 4 s: every notice arrives once, in order', async () => {
  w = await startWorld({ window: '1s' });
  await w.installHooks();
  d = await startWorldDaemon(w);
  w.hs.inject429(2, { retryAfterMs: 300, retryAfterHeaderSeconds: 1 });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 5000);
  w.hs.setDown(true);
  const order = ['dataforge/web', 'dataforge/pipelines', 'dataforge/api'];
  for (const r of order) await w.gitea.push(r, { pusher: 'bob' });
  await new Promise((r) => setTimeout(r, 4000));
  expect(w.hs.messages(ROOM)).toHaveLength(1);
  w.hs.setDown(false);
  await w.hs.waitForMessages(ROOM, 4, 10_000);
  await d.settle();
  expect(bodies().map((b) => b.split(']')[0]!.slice(1))).toEqual(['dataforge/api', ...order]);
  const retries = await (await fetch(d.url + '/metrics')).text();
  expect(Number(/^monitor_send_retries_total (\d+)/m.exec(retries)?.[1])).toBeGreaterThanOrEqual(3);
  await new Promise((r) => setTimeout(r, 1200));
  expect(w.hs.messages(ROOM)).toHaveLength(4);
}, 30_000);

it('a kicked bot re-joins the room once and the notice goes through', async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  w.hs.kick('@monitor:localhost', ROOM);
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 2, 5000);
  await d.settle();
  expect((await d.store.listRuns({})).every((r) => r.status === 'announced')).toBe(true);
});

it('a notice not sent within give_up_after fails visibly; `monitor retry RUN_ID` sends it again', async () => {
  w = await startWorld({ extraYaml: '' });
  w.writeConfig({ window: '1s' });
  // give_up_after is a matrix setting: add it to the written file.
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace('  access_token: { env: MATRIX_TOKEN }', '  access_token: { env: MATRIX_TOKEN }\n  give_up_after: 1500ms'));
  await w.installHooks();
  d = await startWorldDaemon(w);
  w.hs.setDown(true);
  const [delivery] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await expect.poll(async () => (await d!.store.listRuns({}))[0]?.status, { timeout: 8000, interval: 100 }).toBe('failed');
  const run = (await d.store.listRuns({}))[0]!;
  expect(run.error).toMatch(/give_up_after/);
  expect(run.deliveryId).toBe(delivery!.uuid);
  expect(await (await fetch(d.url + '/metrics')).text()).toMatch(/^monitor_send_failures_total 1$/m);
  w.hs.setDown(false);
  // The CLI works on the same records while the daemon runs; the daemon picks the notice up.
  const out: string[] = [];
  const code = await main(['retry', '-c', w.configFile, run.runId], { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: w.env, cwd: w.dir });
  expect(code, out.join('')).toBe(0);
  await w.hs.waitForMessages(ROOM, 1, 5000);
  await expect.poll(async () => (await d!.store.getRun(run.runId))?.status, { timeout: 3000 }).toBe('announced');
}, 30_000);
