// The worker over a real store: a delivery that cannot be processed is retried, then parked as a
// failed run (counted), and never holds back the deliveries after it (issue 10 item 1).
import { afterEach, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createWorker, type Worker } from '../../src/runtime/worker.ts';
import type { Store } from '../../src/adapters/store/types.ts';
import { runIdOf } from '../../src/pipeline/ids.ts';
import { memoryLogger } from '../../src/log.ts';
import { systemClock } from '../../src/clock.ts';
import { kitRuntime, memoryStore, memoryWindows } from './pipeline-kit.ts';

let store: Store;
let worker: Worker;
afterEach(async () => {
  await worker?.stop();
  await store?.close();
});

const push = JSON.parse(readFileSync(new URL('../fixtures/gitea/payloads/push-1-commit.json', import.meta.url), 'utf8'));
const body = (repo: string) => JSON.stringify({ ...push, repository: { ...push.repository, full_name: repo, name: repo.split('/')[1] } });
const stored = (id: string, b: string) => ({ deliveryId: id, runId: runIdOf(id), bodySha256: 'sha-' + id, event: 'push', repo: 'dataforge/api', body: b, receivedAt: 1000, calls: [] });

it('a delivery that fails processing every time is parked after the attempts; the ones after it are processed', async () => {
  store = await memoryStore();
  await store.insertDelivery(stored('poison', '{"ref": 42}'));
  await store.insertDelivery(stored('good', body('dataforge/api')));
  const parked: string[] = [];
  const processed: string[] = [];
  worker = createWorker({
    runtime: await kitRuntime(), store, windows: memoryWindows(), now: () => 1000, logger: memoryLogger('debug'), maxAttempts: 3, retryPauseMs: 5,
    onProcessed: (r) => processed.push(r.runId), onParked: (d) => parked.push(d.deliveryId),
  });
  worker.wake();
  await expect.poll(() => parked, { timeout: 5000, interval: 10 }).toEqual(['poison']);
  expect(processed).toEqual([runIdOf('good')]);
  expect(await store.pendingDeliveries(10)).toEqual([]);
  expect(await store.getRun(runIdOf('poison'))).toMatchObject({ status: 'failed', summary: 'processing failed 3 times; parked' });
  expect((await store.getRun(runIdOf('poison')))?.error).toMatch(/no longer parses/);
});

it('follow-ups answered after the next batch ran are each announced (the SQLite thread answers after the fsync)', async () => {
  store = await memoryStore();
  const processed: string[] = [];
  const w = createWorker({
    runtime: await kitRuntime(), store, windows: memoryWindows(), now: () => 1000, logger: memoryLogger('debug'),
    onProcessed: (r) => processed.push(r.runId),
  });
  worker = w;
  await store.insertDelivery(stored('first', body('dataforge/api')));
  const a = await w.inline.run(store);
  await store.insertDelivery(stored('second', body('dataforge/web')));
  const b = await w.inline.run(store); // the next batch's follow-up, before the first batch is answered
  let idle = false;
  const idled = w.idle().then(() => (idle = true));
  w.inline.settled({ ok: true, value: a });
  await new Promise((r) => setImmediate(r));
  expect(idle).toBe(false); // the second batch is not answered yet
  w.inline.settled({ ok: true, value: b });
  await idled;
  expect(processed).toEqual([runIdOf('first'), runIdOf('second')]);
});

it('a failing delivery is not tried again before its pause, however many batches run meanwhile', async () => {
  store = await memoryStore();
  let t = 0;
  const logger = memoryLogger('debug');
  const w = createWorker({
    runtime: await kitRuntime(), store, windows: memoryWindows(), now: () => 1000, logger, retryPauseMs: 1000, maxAttempts: 3,
    clock: { ...systemClock, mono: () => t }, onProcessed: () => undefined,
  });
  worker = w;
  await store.insertDelivery(stored('poison', '{"ref": 42}'));
  const failures = () => logger.lines.filter((l) => l.msg === 'delivery processing failed; retried shortly').length;
  // Every intake batch runs a follow-up: three of them within the pause try it once.
  for (let i = 0; i < 3; i++) w.inline.settled({ ok: true, value: await w.inline.run(store) });
  expect(failures()).toBe(1);
  t += 1000;
  w.inline.settled({ ok: true, value: await w.inline.run(store) });
  expect(failures()).toBe(2);
  expect(logger.lines.some((l) => l.msg === 'delivery parked after repeated processing failures')).toBe(false);
});
