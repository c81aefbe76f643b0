// Catch-up in-process. A delivery the daemon could not store (the database failed) is answered
// 5xx, and Gitea never sends it again: once deliveries are stored again, a catch-up pass announces
// what was missed. And catch-up stores a delivery only for what the routes announce: a branch
// outside `branches` that moved meanwhile is recorded quietly, as the receiver ignores it live.
import { afterEach, expect, it, vi } from 'vitest';
import { createStorage } from 'unstorage';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';
import { catchUp, FIRST_DELIVERY } from '../../src/runtime/catch-up.ts';
import { buildRuntime, runtimeRef } from '../../src/runtime/runtime.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { createGiteaClient } from '../../src/adapters/gitea/client.ts';
import { Secret } from '../../src/secret.ts';
import { memoryLogger } from '../../src/log.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
afterEach(async () => {
  await d.stop();
  await w.close();
});
const body = (m: { content: unknown }) => String((m.content as { body: string }).body);

it('after deliveries were refused because the store failed, the missed push is caught up once', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks();
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);

  // The database loses the inbox table for a moment: the delivery cannot be stored.
  // (The daemon may be mid-commit — its sent marks, the catch-up baseline —: wait for its lock.)
  const db = new DatabaseSync(join(w.dir, 'data', 'monitor.db'));
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('ALTER TABLE monitor_deliveries RENAME TO monitor_deliveries_away');
  const before = w.gitea.branchHeads('dataforge/api').main!;
  const [lost] = await w.gitea.push('dataforge/api', { pusher: 'bob', commits: [{ message: 'Lost change', author: { name: 'Bob', email: 'bob@example.com', username: 'bob' } }] });
  expect(lost!.status).toBe(503);
  db.exec('ALTER TABLE monitor_deliveries_away RENAME TO monitor_deliveries');
  db.close();
  const after = w.gitea.branchHeads('dataforge/api').main!;

  const [next] = await w.gitea.push('dataforge/web', { pusher: 'alice' });
  expect(next!.status).toBe(202);
  const msgs = await w.hs.waitForMessages(ROOM, 3, 10_000);
  const caught = msgs.map(body).find((b) => b.includes('offline'));
  expect(caught).toContain(`main moved ${before.slice(0, 7)}..${after.slice(0, 7)} (head by bob)`);
  expect(caught).toContain('Lost change');
  await d.settle();
  expect(w.hs.messages(ROOM).filter((m) => body(m).includes('offline'))).toHaveLength(1);
});

it('records, but does not announce, changes of branches the routes leave out', async () => {
  w = await startWorld({ window: '1ms', repoRules: '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news], branches: [main] }' });
  await w.installHooks(['dataforge/api']);
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await d.settle();
  const client = createGiteaClient({ baseUrl: w.gitea.url, token: new Secret(SECRETS.GITEA_TOKEN) });
  const pass = () => catchUp({ runtime: d.runtime, store: d.store, client, logger: memoryLogger(), onStored: () => d.worker.wake(), repos: ['dataforge/api'] });
  expect(await pass()).toMatchObject({ stored: 0, errors: [] }); // the baseline

  const [created] = await w.gitea.createBranch('dataforge/api', 'dev', { pusher: 'bob', commits: 1 });
  expect(created!.status).toBe(202); // ignored by the receiver: not routed
  expect(await pass()).toMatchObject({ moved: 0, stored: 0 });
  expect((await d.store.heads('dataforge/api')).dev).toBe(w.gitea.branchHeads('dataforge/api').dev);
  await d.settle();
  expect(w.hs.messages(ROOM)).toHaveLength(1);
});

it('the pass a first delivery starts only records a baseline: a push still in flight is left to its own delivery', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks(['dataforge/api']);
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await d.settle();
  // The next push is on Gitea, its delivery not here yet (the hook is gone for the moment).
  for (const h of w.gitea.hooks('dataforge/api')) {
    const res = await fetch(`${w.gitea.url}/api/v1/repos/dataforge/api/hooks/${h.id}`, { method: 'DELETE', headers: { authorization: `token ${SECRETS.GITEA_TOKEN}` } });
    expect(res.status).toBe(204);
  }
  await w.gitea.push('dataforge/api', { pusher: 'bob' });
  const client = createGiteaClient({ baseUrl: w.gitea.url, token: new Secret(SECRETS.GITEA_TOKEN) });
  const pass = (baselineOnly: boolean) => catchUp({ runtime: d.runtime, store: d.store, client, logger: memoryLogger(), onStored: () => d.worker.wake(), repos: ['dataforge/api'], baselineOnly });
  expect(await pass(true)).toMatchObject({ stored: 0, errors: [] });
  expect((await d.store.heads('dataforge/api'))[':baseline']).toBe('complete');
  // A later full pass (start, or after refused deliveries) does announce what never arrived.
  expect(await pass(false)).toMatchObject({ stored: 1, errors: [] });
});

it('first deliveries that arrive while a catch-up pass waits share one baseline pass', async () => {
  w = await startWorld();
  d = await startWorldDaemon(w); // only for afterEach; the supervisor below is the one tested
  const config = await w.load();
  const logger = memoryLogger();
  // The worker is busy: a catch-up pass waits for it before it reads its repositories.
  let release!: () => void;
  const busy = new Promise<void>((r) => (release = r));
  const hooks = superviseHooks({
    runtime: runtimeRef(buildRuntime(config)), storage: createStorage(), store: d.store, logger, metrics: createMetrics({ defaultMetrics: false }),
    worker: { wake: () => undefined, idle: () => busy, stop: async () => undefined },
  });
  try {
    await hooks.lead(true); // queues the start pass
    hooks.catchUp!(FIRST_DELIVERY, ['dataforge/api']);
    hooks.catchUp!(FIRST_DELIVERY, ['dataforge/web']);
    release();
    await vi.waitFor(() => expect(logger.lines.filter((l) => l.msg === 'catch-up done' && l.catch_up === FIRST_DELIVERY)).toHaveLength(1), { timeout: 5000 });
    expect(logger.lines.find((l) => l.msg === 'catch-up done' && l.catch_up === FIRST_DELIVERY)).toMatchObject({ repos: 2, errors: [] });
    for (const repo of ['dataforge/api', 'dataforge/web']) expect((await d.store.heads(repo))[':baseline']).toBe('complete');
  } finally {
    await hooks.stop();
  }
});

it('a first-delivery pass that fails before it starts does not keep later first deliveries from their pass', async () => {
  w = await startWorld();
  d = await startWorldDaemon(w); // only for afterEach; the supervisor below is the one tested
  const logger = memoryLogger();
  let calls = 0;
  const hooks = superviseHooks({
    runtime: runtimeRef(buildRuntime(await w.load())), storage: createStorage(), store: d.store, logger, metrics: createMetrics({ defaultMetrics: false }),
    // The first wait for the worker fails (the processing thread could not be asked); later ones answer.
    worker: { wake: () => undefined, idle: () => (calls++ === 1 ? Promise.reject(new Error('thread gone')) : Promise.resolve()), stop: async () => undefined },
  });
  try {
    await hooks.lead(true); // the start pass (first idle call)
    hooks.catchUp!(FIRST_DELIVERY, ['dataforge/api']); // its pass fails before it reads its repos
    await vi.waitFor(() => expect(logger.lines.some((l) => l.msg === 'catch-up failed' && l.reason === FIRST_DELIVERY)).toBe(true), { timeout: 5000 });
    hooks.catchUp!(FIRST_DELIVERY, ['dataforge/web']);
    await vi.waitFor(() => expect(logger.lines.filter((l) => l.msg === 'catch-up done' && l.catch_up === FIRST_DELIVERY)).toHaveLength(1), { timeout: 5000 });
    expect((await d.store.heads('dataforge/web'))[':baseline']).toBe('complete');
  } finally {
    await hooks.stop();
  }
});
