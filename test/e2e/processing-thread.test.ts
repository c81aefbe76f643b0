// With SQLite, storage and processing run on their own thread (issue 13 item 1): the daemon's store
// lives on another thread, deliveries are processed there (its log lines reach the daemon's logger
// with their delivery id), and no secret crosses into it.
import { afterEach, expect, it } from 'vitest';
import { threadId } from 'node:worker_threads';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import type { ThreadStore } from '../../src/adapters/store/sqlite-thread.ts';
import { configForThread, configInThread } from '../../src/runtime/thread-config.ts';
import { runIdOf } from '../../src/pipeline/ids.ts';

let w: World;
let d: (Daemon & { logs: { lines: Record<string, unknown>[] } }) | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});

it('a push is stored and processed on the storage thread and announced once', async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
  expect((d.store as ThreadStore).threadId).not.toBe(threadId);
  const [delivery] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  expect(delivery!.status).toBe(202);
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await d.settle();
  expect(d.logs.lines.filter((l) => l.msg === 'delivery processed').map((l) => l.delivery_id)).toEqual([delivery!.uuid]);
  expect((await d.store.listRuns({}))[0]).toMatchObject({ status: 'announced', deliveryId: delivery!.uuid });
  // The thread's own heap is in /metrics (nodejs_heap_* is the main thread's only).
  const metrics = await (await fetch(`${d.url}/metrics`)).text();
  const used = Number(/^monitor_processing_thread_heap_bytes\{kind="used"\} (\d+)$/m.exec(metrics)?.[1]);
  const total = Number(/^monitor_processing_thread_heap_bytes\{kind="total"\} (\d+)$/m.exec(metrics)?.[1]);
  expect(used).toBeGreaterThan(1_000_000);
  expect(total).toBeGreaterThanOrEqual(used);
});

it('a delivery is processed in the commit that stores it: its run exists when the 202 is sent', async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
  for (let i = 0; i < 5; i++) {
    const [delivery] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
    expect(delivery!.status).toBe(202);
    // No settle, no wait: the 202 came after the commit that also recorded the run.
    expect(await d.store.getRun(runIdOf(delivery!.uuid))).toMatchObject({ deliveryId: delivery!.uuid });
  }
  await w.hs.waitForMessages(ROOM, 1, 3000); // the first; the rest wait for the rate limit's digest
});

it('the rate-limit window is in the records: a restart within it holds the next push', async () => {
  w = await startWorld({ window: '60s' });
  await w.installHooks();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await d.settle();
  expect(await d.store.windowOf('dataforge/api', 'news')).toMatchObject({ count: 1 });
  await d.stop();
  d = await startWorldDaemon(w);
  const [next] = await w.gitea.push('dataforge/api', { pusher: 'bob' });
  expect(next!.status).toBe(202);
  await d.settle();
  expect((await d.store.heldOf('dataforge/api', 'news')).map((n) => n.deliveryId)).toEqual([next!.uuid]);
  expect(w.hs.messages(ROOM)).toHaveLength(1);
  // Nothing of it in the state storage any more (a file write per delivery, outside the transaction).
  const state = join(w.dir, 'data', 'state');
  expect(existsSync(state) ? readdirSync(state, { recursive: true }).map(String).filter((f) => f.includes('window')) : []).toEqual([]);
});

it('the config crosses into the thread without any secret', async () => {
  w = await startWorld();
  const config = await w.load();
  const sent = JSON.stringify(configForThread(config));
  for (const s of Object.values(SECRETS)) expect(sent).not.toContain(s);
  const back = configInThread(JSON.parse(sent));
  expect(back.matrix.accessToken!.reveal()).toBe('');
  expect(back.repos).toEqual(config.repos);
});
