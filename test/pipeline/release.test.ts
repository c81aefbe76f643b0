// Digest release: txnIds from stable content (issue 10 item 8), one group never holding another
// back, and a render failure falling back to a plain, capped wording (issue 10 item 2).
import { afterEach, expect, it } from 'vitest';
import { releaseDue } from '../../src/pipeline/release.ts';
import type { Store } from '../../src/adapters/store/types.ts';
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
const digestOf = async (store: Store) => (await store.headNotice('news'))!;

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
  await holdNotice(shifted, 'other', pushItem('dataforge/web'), { holdUntil: 99_999 });
  for (const id of ['d-1', 'd-2']) await holdNotice(shifted, id, pushItem('dataforge/api'));
  await releaseDue({ store: shifted, windows: memoryWindows(), runtime, now: () => 5000 });
  expect((await digestOf(shifted)).txnId).toBe(old.txnId);
});
