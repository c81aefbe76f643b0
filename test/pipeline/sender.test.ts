// The sender: the "kick every room" path with a store that fails (issue 10 item 5) is logged, never
// an unhandled rejection (which would end the process); give-up time is monotonic (item 19).
import { expect, it } from 'vitest';
import { createSender } from '../../src/pipeline/sender.ts';
import type { Store } from '../../src/adapters/store/types.ts';
import { memoryLogger } from '../../src/log.ts';
import { kitRuntime, memoryStore } from './pipeline-kit.ts';
import { SendError } from '../../src/adapters/send-error.ts';
import { toRoom } from '../../src/adapters/store/destination.ts';
import { systemClock } from '../../src/clock.ts';
import type { MatrixPort } from '../../src/adapters/matrix/client.ts';

it('a store error while listing rooms with pending notices is logged, not an unhandled rejection', async () => {
  const logger = memoryLogger('debug');
  let asked!: () => void;
  const askedP = new Promise<void>((r) => (asked = r));
  const store = { pendingDestinations: async () => (asked(), Promise.reject(new Error('the records database is locked by another writer'))) } as unknown as Store;
  const sender = createSender({ store, matrix: {} as never, triggers: {} as never, runtime: await kitRuntime(), logger });
  sender.kick();
  await askedP;
  await new Promise((r) => setImmediate(r));
  expect(logger.lines.map((l) => l.msg)).toContain('cannot list destinations with pending notices');
});

it('give-up counts failing time on a monotonic clock: a wall clock jumping 2 h forward mid-send does not give up (issue 10 item 19)', async () => {
  const store = await memoryStore();
  const runtime = await kitRuntime(); // matrix.give_up_after: 1 h (default)
  const ins = await store.insertDelivery({ deliveryId: 'd', runId: 'run_d', bodySha256: 'x', event: 'push', repo: 'dataforge/api', body: '{}', receivedAt: 1000, calls: [] });
  await store.commitProcessed({
    seq: (ins as { seq: number }).seq, calls: [],
    run: { runId: 'run_d', nodeId: 'gitea_push_api', repo: 'dataforge/api', trigger: 'webhook', status: 'queued', event: 'push', ref: null, before: null, after: null, commits: 0, deliveryId: 'd', receivedAt: 1000, notifiedAt: null, summary: null, error: null },
    notices: [{ runId: 'run_d', deliveryId: 'd', repo: 'dataforge/api', dest: toRoom('news'), kind: 'notice', status: 'pending', holdUntil: null, txnId: 't', item: '{}', content: '{"body":"x"}', createdAt: 1000 }],
  });
  let wall = 1_000_000;
  const matrix = {
    whoami: async () => ({ userId: '@m:l' }),
    joinRoom: async () => '!room:l',
    resolveRoom: async () => '!room:l',
    roomEncryption: async () => null,
    send: async () => {
      wall += 2 * 3_600_000; // NTP fixes the clock while the request is in flight
      throw new SendError({ kind: 'server', status: 502, errcode: null, retryAfterMs: null, message: 'bad gateway' });
    },
  } as unknown as MatrixPort;
  let monoNow = 50;
  const sender = createSender({ store, matrix, triggers: {} as never, runtime, logger: memoryLogger('debug'), clock: { ...systemClock, now: () => wall, mono: () => (monoNow += 10) }, random: () => 0 });
  sender.kick(toRoom('news'));
  await sender.idle();
  await sender.stop(0);
  const [n] = await store.noticesOfRun('run_d');
  expect(n).toMatchObject({ status: 'pending', attempts: 1 });
  expect(n!.lastError).toMatch(/bad gateway/);
  await store.close();
});

it('sends a room queue back to back: one queue read and one encryption check per batch, in order, every row recorded (issue 13)', async () => {
  const store = await memoryStore();
  const runtime = await kitRuntime();
  for (let i = 0; i < 40; i++) {
    const ins = await store.insertDelivery({ deliveryId: `d${i}`, runId: `run_${i}`, bodySha256: `x${i}`, event: 'push', repo: 'dataforge/api', body: '{}', receivedAt: 1000, calls: [] });
    await store.commitProcessed({
      seq: (ins as { seq: number }).seq, calls: [],
      run: { runId: `run_${i}`, nodeId: 'gitea_push_api', repo: 'dataforge/api', trigger: 'webhook', status: 'queued', event: 'push', ref: null, before: null, after: null, commits: 0, deliveryId: `d${i}`, receivedAt: 1000, notifiedAt: null, summary: null, error: null },
      notices: [{ runId: `run_${i}`, deliveryId: `d${i}`, repo: 'dataforge/api', dest: toRoom('news'), kind: 'notice', status: 'pending', holdUntil: null, txnId: `t${i}`, item: '{}', content: JSON.stringify({ body: `n${i}` }), createdAt: 1000 }],
    });
  }
  const sent: string[] = [];
  let checks = 0;
  let reads = 0;
  const counted = new Proxy(store, { get: (s, k) => (k === 'headNotices' && reads++, Reflect.get(s, k)) });
  const matrix = {
    joinRoom: async () => '!room:l',
    roomEncryption: async () => (checks++, null),
    send: async (_room: string, content: { body: string }) => (sent.push(content.body), { eventId: `$${content.body}` }),
  } as unknown as MatrixPort;
  const sender = createSender({ store: counted, matrix, triggers: {} as never, runtime, logger: memoryLogger('debug') });
  sender.kick(toRoom('news'));
  await sender.idle();
  expect(sent).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`));
  // 40 rows in batches of 32: two batches with rows, then an empty read ends the loop.
  expect(reads).toBe(3);
  expect(checks).toBe(2);
  for (let i = 0; i < 40; i++) expect((await store.getRun(`run_${i}`))?.status).toBe('announced');
  await store.close();
});
