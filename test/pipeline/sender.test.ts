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


/** Pending notices n0..n{count-1} in room news (txnIds t0..), each from its own processed delivery. */
async function queueNotices(store: Store, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ins = await store.insertDelivery({ deliveryId: `d${i}`, runId: `run_${i}`, bodySha256: `x${i}`, event: 'push', repo: 'dataforge/api', body: '{}', receivedAt: 1000, calls: [] });
    await store.commitProcessed({
      seq: (ins as { seq: number }).seq, calls: [],
      run: { runId: `run_${i}`, nodeId: 'gitea_push_api', repo: 'dataforge/api', trigger: 'webhook', status: 'queued', event: 'push', ref: null, before: null, after: null, commits: 0, deliveryId: `d${i}`, receivedAt: 1000, notifiedAt: null, summary: null, error: null },
      notices: [{ runId: `run_${i}`, deliveryId: `d${i}`, repo: 'dataforge/api', dest: toRoom('news'), kind: 'notice', status: 'pending', holdUntil: null, txnId: `t${i}`, item: '{}', content: JSON.stringify({ body: `n${i}` }), createdAt: 1000 }],
    });
  }
}

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
  await queueNotices(store, 1);
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
  const [n] = await store.noticesOfRun('run_0');
  expect(n).toMatchObject({ status: 'pending', attempts: 1 });
  expect(n!.lastError).toMatch(/bad gateway/);
  await store.close();
});

it('sends a room queue back to back: one queue read per batch, an encryption check before every notice, in order, every row recorded (issue 13)', async () => {
  const store = await memoryStore();
  const runtime = await kitRuntime();
  await queueNotices(store, 40);
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
  // A room seen plain is checked again before each notice (it may be encrypted meanwhile).
  expect(checks).toBe(40);
  for (let i = 0; i < 40; i++) expect((await store.getRun(`run_${i}`))?.status).toBe('announced');
  await store.close();
});

it('a sent mark that fails while the next notice is on its way is not an unhandled rejection: logged, and the notice is sent again with its txnId', async () => {
  const store = await memoryStore();
  const runtime = await kitRuntime();
  await queueNotices(store, 2);
  let failOnce = true;
  const flaky = new Proxy(store, {
    get: (s, k) => (k === 'markSent' ? (...a: Parameters<Store['markSent']>) => (failOnce ? ((failOnce = false), Promise.reject(new Error('the records database is locked by another writer'))) : s.markSent(...a)) : Reflect.get(s, k)),
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const txns: string[] = [];
  let release!: () => void;
  const secondSendHeld = new Promise<void>((r) => (release = r));
  const matrix = {
    joinRoom: async () => '!room:l',
    roomEncryption: async () => null,
    send: async (_room: string, _content: object, txnId: string) => {
      txns.push(txnId);
      // The second send waits while the first one's failed mark settles.
      if (txns.length === 2) await secondSendHeld;
      return { eventId: `$${txnId}` };
    },
  } as unknown as MatrixPort;
  const logger = memoryLogger('debug');
  const sender = createSender({ store: flaky, matrix, triggers: {} as never, runtime, logger, clock: { ...systemClock, setTimeout: (fn: () => void) => systemClock.setTimeout(fn, 0) } });
  sender.kick(toRoom('news'));
  await expect.poll(() => txns.length).toBe(2);
  await new Promise((r) => setImmediate(r));
  release();
  await expect.poll(async () => (await store.getRun('run_0'))?.status, { timeout: 3000 }).toBe('announced');
  await sender.idle();
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
  expect(logger.lines.map((l) => l.msg)).toContain('send loop error');
  expect(txns.filter((t) => t === 't0')).toHaveLength(2); // sent again, same txnId (the homeserver answers with the first event)
  expect((await store.getRun('run_1'))?.status).toBe('announced');
  await store.close();
});

it('a room encrypted while a notice is being sent gets the next one encrypted or not at all: each check follows the previous send', async () => {
  const store = await memoryStore();
  const runtime = await kitRuntime();
  await queueNotices(store, 2);
  const events: string[] = [];
  let encrypted = false;
  const matrix = {
    joinRoom: async () => '!room:l',
    roomEncryption: async () => (events.push('check'), encrypted ? { algorithm: 'm.megolm.v1.aes-sha2' } : null),
    send: async (_room: string, content: { body: string }) => {
      events.push(`send ${content.body}`);
      encrypted = true; // someone turns encryption on while n0 is being sent
      await new Promise((r) => setImmediate(r));
      events.push(`sent ${content.body}`);
      return { eventId: `$${content.body}` };
    },
  } as unknown as MatrixPort;
  const sender = createSender({ store, matrix, triggers: {} as never, runtime, logger: memoryLogger('debug'), clock: { ...systemClock, setTimeout: (fn: () => void) => systemClock.setTimeout(fn, 60_000) } });
  sender.kick(toRoom('news'));
  await sender.idle();
  await sender.stop(0);
  expect(events).toEqual(['check', 'send n0', 'sent n0', 'check']);
  const [n1] = await store.noticesOfRun('run_1');
  expect(n1).toMatchObject({ status: 'pending', attempts: 1 });
  expect(n1!.lastError).toMatch(/end-to-end encrypted/);
  await store.close();
});
