// Digest release: txnIds from stable content (issue 10 item 8), one group never holding another
// back, and a render failure falling back to a plain, capped wording (issue 10 item 2).
import { afterEach, expect, it } from 'vitest';
import { releaseDue } from '../../src/pipeline/release.ts';
import type { Store } from '../../src/adapters/store/types.ts';
import { toRoom } from '../../src/adapters/store/destination.ts';
import { holdNotice, kitRuntime, memoryStore, memoryWindows, pushItem } from './pipeline-kit.ts';

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
const fresh = async () => {
  const s = await memoryStore();
  stores.push(s);
  return s;
};
const digestOf = async (store: Store) => (await store.headNotice(toRoom('news')))!;

it('a digest txnId comes from its members\' delivery ids, not outbox row ids (a reset database never reuses one)', async () => {
  const runtime = await kitRuntime();
  const before = await fresh();
  for (const id of ['d-1', 'd-2']) await holdNotice(before, id, pushItem('dataforge/api'));
  await releaseDue({ store: before, windows: memoryWindows(), runtime, now: () => 5000 });
  const old = await digestOf(before);
  // The database is reset: new deliveries get the same row ids as the old ones.
  const after = await fresh();
  for (const id of ['d-3', 'd-4']) await holdNotice(after, id, pushItem('dataforge/api'));
  await releaseDue({ store: after, windows: memoryWindows(), runtime, now: () => 5000 });
  const next = await digestOf(after);
  expect(next.kind).toBe('digest');
  expect(next.id).toBe(old.id);
  expect(next.txnId).not.toBe(old.txnId);
  // The same members give the same txnId, whatever their row ids (a retry after restore is idempotent).
  const shifted = await fresh();
  await holdNotice(shifted, 'other', pushItem('dataforge/web'), { holdUntil: 5500 });
  for (const id of ['d-1', 'd-2']) await holdNotice(shifted, id, pushItem('dataforge/api'));
  await releaseDue({ store: shifted, windows: memoryWindows(), runtime, now: () => 5000 });
  expect((await digestOf(shifted)).txnId).toBe(old.txnId);
});

it('a group whose render fails goes out in a plain capped wording, counted, and other groups are released too', async () => {
  const runtime = await kitRuntime();
  const store = await fresh();
  const huge = 'N'.repeat(850 * 1024);
  const poison = pushItem('dataforge/api', { actor: huge, commits: Array.from({ length: 5 }, (_, i) => ({ id: String(i).repeat(40), short: String(i).repeat(7), url: 'http://g/c', title: huge, author: huge })) });
  for (const id of ['p-1', 'p-2']) await holdNotice(store, id, poison);
  for (const id of ['g-1', 'g-2']) await holdNotice(store, id, pushItem('dataforge/web'));
  const fallbacks: string[] = [];
  const rooms = await releaseDue({ store, windows: memoryWindows(), runtime, now: () => 5000, onRenderFallback: (repo) => fallbacks.push(repo) });
  expect(rooms).toEqual(['news']);
  expect(await store.hasHeld('dataforge/api', 'news')).toBe(false);
  expect(await store.hasHeld('dataforge/web', 'news')).toBe(false);
  expect(fallbacks).toEqual(['dataforge/api']);
  const first = await store.headNotice(toRoom('news'));
  const content = JSON.parse(first!.content!) as { body: string; formatted_body: string };
  expect(content.body).toMatch(/^\[dataforge\/api\] 2 events, 2 commits to main by N+…$/);
  expect(content.body.length).toBeLessThan(400);
});

it('a group that cannot be released at all is logged and left; the others still go', async () => {
  const runtime = await kitRuntime();
  const store = await fresh();
  for (const id of ['a-1', 'a-2']) await holdNotice(store, id, pushItem('dataforge/api'));
  for (const id of ['w-1', 'w-2']) await holdNotice(store, id, pushItem('dataforge/web'));
  const broken: Store = Object.create(store);
  broken.heldOf = async (repo, room) => (repo === 'dataforge/api' ? [{ ...(await store.heldOf(repo, room))[0]!, item: '{not json' }] : store.heldOf(repo, room));
  const logs: string[] = [];
  const logger = { error: (m: string) => logs.push(m) } as never;
  expect(await releaseDue({ store: broken, windows: memoryWindows(), runtime, now: () => 5000, logger })).toEqual(['news']);
  expect(await store.hasHeld('dataforge/web', 'news')).toBe(false);
  expect(await store.hasHeld('dataforge/api', 'news')).toBe(true);
  expect(logs).toEqual(['digest release failed for one group; the others go on']);
});

it('release passes never overlap (the safety tick and a window timer at once): the later call runs one more pass after', async () => {
  const { createReleaseScheduler } = await import('../../src/runtime/release-scheduler.ts');
  let inFlight = 0;
  let maxInFlight = 0;
  let passes = 0;
  const gates: Array<() => void> = [];
  const scheduler = createReleaseScheduler({
    store: {} as never, windows: memoryWindows(), runtime: await kitRuntime(), now: () => 0, logger: { error: () => undefined } as never, active: () => true, onRooms: () => undefined,
    release: async () => {
      passes++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise<void>((r) => gates.push(r));
      inFlight--;
      return [];
    },
  });
  const runs = [scheduler.run(), scheduler.run(), scheduler.run()];
  await expect.poll(() => gates.length).toBe(1);
  gates.shift()!();
  await expect.poll(() => gates.length).toBe(1);
  gates.shift()!();
  await Promise.all(runs);
  expect({ maxInFlight, passes }).toEqual({ maxInFlight: 1, passes: 2 });
});
