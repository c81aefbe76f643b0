// Delivery guarantees in-process: the rate limit merges a burst into one digest; a homeserver that
// rate-limits or is down delays notices, never drops or doubles them, and keeps room order; a 403
// re-joins; a notice that cannot be sent for matrix.give_up_after fails visibly and `retry` resends.
// Windows and retries run on the daemon's fake clock: "nothing else arrives" needs no real waiting.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { main } from '../../src/cli/main.ts';
import { fakeClock, type FakeClock } from '../../src/clock.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const bodies = () => w.hs.messages(ROOM).map((m) => String((m.content as { body: string }).body));

/** Moves the daemon's fake clock in steps, letting the real I/O each step starts finish, until `done`. */
async function advanceUntil(clock: FakeClock, done: () => boolean, stepMs = 100, maxMs = 120_000): Promise<number> {
  let moved = 0;
  while (!done()) {
    if (moved >= maxMs) throw new Error(`not done after ${maxMs} ms of fake time`);
    await clock.advance(stepMs);
    await d!.settle();
    moved += stepMs;
  }
  return moved;
}

/** Moves the fake clock by `ms` in steps, settling after each, so every timer due meanwhile has run its course. */
async function elapse(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await clock.advance(Math.min(100, ms - t));
    await d!.settle();
  }
}

it('6 pushes to one repo with a 3 s window: one notice at once, one digest for the other 5 when the window ends, nothing else', async () => {
  w = await startWorld({ window: '3s' });
  await w.installHooks();
  const clock = fakeClock();
  d = await startWorldDaemon(w, { clock });
  for (let i = 0; i < 6; i++) await w.gitea.push('dataforge/api', { pusher: i % 2 ? 'bob' : 'alice', commits: i + 1, branch: 'main' });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  await d.settle();
  expect(bodies()[0]).toMatch(/^\[dataforge\/api\] alice pushed 1 commit to main/);
  // The window has not ended: nothing more, however long real time takes.
  await elapse(clock, 2900);
  expect(w.hs.messages(ROOM)).toHaveLength(1);
  await elapse(clock, 200);
  const [, digest] = await w.hs.waitForMessages(ROOM, 2, 3000);
  expect(String((digest!.content as { body: string }).body)).toMatch(/^\[dataforge\/api\] 5 pushes, 20 commits to main by bob, alice since the last notice/);
  await d.settle();
  const runs = await d.store.listRuns({});
  expect(runs.map((r) => r.status).sort()).toEqual(['announced', 'digested', 'digested', 'digested', 'digested', 'digested']);
  // Received on the daemon's clock (every push came before the first advance).
  expect(new Set(runs.map((r) => r.receivedAt))).toEqual(new Set([Date.UTC(2026, 0, 1)]));
  // Nothing else arrives in the next window (fake time: no real waiting).
  await elapse(clock, 3200);
  expect(w.hs.messages(ROOM)).toHaveLength(2);
});

it('a homeserver answering 429 twice and then down for 4 s: every notice arrives once, in order', async () => {
  w = await startWorld({ window: '1s' });
  await w.installHooks();
  const clock = fakeClock();
  d = await startWorldDaemon(w, { clock });
  w.hs.inject429(2, { retryAfterMs: 300, retryAfterHeaderSeconds: 1 });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await advanceUntil(clock, () => w.hs.messages(ROOM).length >= 1);
  w.hs.setDown(true);
  const order = ['dataforge/web', 'dataforge/pipelines', 'dataforge/api'];
  for (const r of order) await w.gitea.push(r, { pusher: 'bob' });
  await elapse(clock, 4000);
  expect(w.hs.messages(ROOM)).toHaveLength(1);
  w.hs.setDown(false);
  await advanceUntil(clock, () => w.hs.messages(ROOM).length >= 4);
  await d.settle();
  expect(bodies().map((b) => b.split(']')[0]!.slice(1))).toEqual(['dataforge/api', ...order]);
  const retries = await (await fetch(d.url + '/metrics')).text();
  expect(Number(/^monitor_send_retries_total (\d+)/m.exec(retries)?.[1])).toBeGreaterThanOrEqual(3);
  await elapse(clock, 1200);
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
