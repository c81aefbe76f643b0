// The rate-limit windows' contract on SQLite (also on its thread) and PostgreSQL (issue 13): a window
// is recorded by the transaction that decides it — a processed delivery, a released digest — and by
// nothing else, so after a crash it always matches the outbox.
import { expect, it } from 'vitest';
import { delivery, notice, onEachBackend, run } from './backends.ts';

onEachBackend('RateWindows', (t) => {
  it('a processed delivery records the windows it counted in; a later one replaces them', async () => {
    expect(await t.store.windowOf('dataforge/api', 'news')).toBeNull();
    let seq = ((await t.store.insertDelivery(delivery('a'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: run('a'), notices: [notice('a')], calls: [], windows: [{ repo: 'dataforge/api', room: 'news', window: { until: 61_000, count: 1 } }] });
    expect(await t.store.windowOf('dataforge/api', 'news')).toEqual({ until: 61_000, count: 1 });
    expect(await t.store.windowOf('dataforge/api', 'ops')).toBeNull();
    seq = ((await t.store.insertDelivery(delivery('b'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: run('b'), notices: [notice('b')], calls: [], windows: [{ repo: 'dataforge/api', room: 'news', window: { until: 61_000, count: 2 } }] });
    expect(await t.store.windowOf('dataforge/api', 'news')).toEqual({ until: 61_000, count: 2 });
    // A repeated commit of the same delivery changes nothing, its windows included.
    await t.store.commitProcessed({ seq, run: run('b'), notices: [notice('b')], calls: [], windows: [{ repo: 'dataforge/api', room: 'news', window: { until: 99_000, count: 9 } }] });
    expect(await t.store.windowOf('dataforge/api', 'news')).toEqual({ until: 61_000, count: 2 });
  });

  it('a release records the window it opens; a release that changes nothing records nothing', async () => {
    for (const id of ['h1', 'h2']) {
      const seq = ((await t.store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await t.store.commitProcessed({ seq, run: run(id), notices: [notice(id, 'news', 'held')], calls: [] });
    }
    const due = await t.store.heldOf('dataforge/api', 'news');
    const digest = { ...notice('x'), runId: null, deliveryId: null, kind: 'digest' as const, txnId: 'digest-1', content: '{"body":"digest"}' };
    const opens = { repo: 'dataforge/api', room: 'news', window: { until: 120_000, count: 1 } };
    await t.store.mergeHeld([due[0]!.id], 'txn-h2-news'); // a member merged after the read: nothing released
    expect(await t.store.releaseHeld(due.map((d) => d.id), digest, null, opens)).toBe(false);
    expect(await t.store.windowOf('dataforge/api', 'news')).toBeNull();
    expect(await t.store.releaseHeld([due[1]!.id], null, { id: due[1]!.id, content: '{"body":"one"}' }, opens)).toBe(true);
    expect(await t.store.windowOf('dataforge/api', 'news')).toEqual({ until: 120_000, count: 1 });
  });
});
