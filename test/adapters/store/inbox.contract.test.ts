// The inbox port's contract on SQLite and PostgreSQL: durable dedupe (id and body hash, atomic
// across connections), processing into a run, duplicates, parking, and the prune that keeps keys.
import { expect, it } from 'vitest';
import { delivery, notice, onEachBackend, run, toRoom } from './backends.ts';
import { destKey } from '../../../src/adapters/store/destination.ts';

onEachBackend('Inbox', (t) => {
  it('dedupes by delivery id and by body bytes', async () => {
    expect(await t.store.insertDelivery(delivery('d1'))).toMatchObject({ inserted: true });
    expect(await t.store.insertDelivery(delivery('d1'))).toEqual({ inserted: false, duplicateOf: 'd1', by: 'delivery_id' });
    expect(await t.store.insertDelivery({ ...delivery('d2'), bodySha256: delivery('d1').bodySha256 })).toEqual({ inserted: false, duplicateOf: 'd1', by: 'body' });
    expect((await t.store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['d1']);
  });

  it('dedupe is atomic when the same delivery is stored concurrently (two connections on PostgreSQL)', async () => {
    // SQLite serves one replica: its one connection serialises; PostgreSQL serves several.
    const other = t.name === 'postgres' ? await t.env.open() : t.store;
    if (other !== t.store) t.opened.push(other);
    const results = await Promise.all([t.store, other, t.store, other].map((s) => s.insertDelivery(delivery('same'))));
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
  });

  it('records a processed delivery once, with node, run, notices and call chain', async () => {
    const ins = await t.store.insertDelivery(delivery('d1'));
    const seq = (ins as { seq: number }).seq;
    const p = { seq, run: run('d1'), notices: [notice('d1'), notice('d1', 'ops')], calls: [{ step: 'render', startedAt: 1001, durationMs: 2, outcome: 'ok' }] };
    await t.store.commitProcessed(p);
    await t.store.commitProcessed(p); // idempotent
    expect(await t.store.pendingDeliveries(10)).toEqual([]);
    expect(await t.store.listRuns({})).toHaveLength(1);
    expect((await t.store.listNodes())[0]).toMatchObject({ nodeId: 'gitea_push_api', lastRunAt: 1000, lastStatus: 'queued', runs: 1 });
    expect((await t.store.callsOf('d1')).map((c) => [c.step, c.runId])).toEqual([['receive', 'run_d1'], ['render', 'run_d1']]);
    expect((await t.store.pendingDestinations()).sort((a, b) => destKey(a).localeCompare(destKey(b)))).toEqual([toRoom('news'), toRoom('ops')]);
    expect(await t.store.queueDepth()).toEqual({ news: 1, ops: 1 });
  });

  it('prunes the bodies of settled deliveries, never their dedupe keys (a replay after the prune is still a duplicate)', async () => {
    const seq = ((await t.store.insertDelivery(delivery('old'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: run('old', 'recorded'), notices: [], calls: [] });
    await t.store.insertDelivery({ ...delivery('pending'), receivedAt: 500 });
    expect(await t.store.pruneDeliveries(2000)).toBe(1);
    expect(await t.store.pruneDeliveries(2000)).toBe(0);
    expect(await t.store.insertDelivery(delivery('old'))).toEqual({ inserted: false, duplicateOf: 'old', by: 'delivery_id' });
    expect(await t.store.insertDelivery({ ...delivery('new-id'), bodySha256: delivery('old').bodySha256 })).toEqual({ inserted: false, duplicateOf: 'old', by: 'body' });
    expect((await t.store.pendingDeliveries(10)).map((d) => [d.deliveryId, d.body])).toEqual([['pending', delivery('pending').body]]);
  });

  it('the prune drops the rendered text of sent notices with the bodies; pending and failed ones keep theirs', async () => {
    for (const id of ['s', 'p', 'f']) {
      const seq = ((await t.store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await t.store.commitProcessed({ seq, run: run(id), notices: [notice(id, id)], calls: [] });
    }
    await t.store.markSent((await t.store.headNotice(toRoom('s')))!.id, '$e', 1500, []);
    await t.store.markFailed((await t.store.headNotice(toRoom('f')))!.id, 'gave up', 1500);
    await t.store.pruneDeliveries(2000);
    const content = async (id: string) => (await t.store.noticesOfRun('run_' + id))[0]!.content;
    expect(await content('s')).toBeNull();
    expect(await content('p')).toBe('{"body":"x"}');
    expect(await content('f')).toBe('{"body":"x"}');
  });

  it('a delivery whose run already exists is a duplicate: recorded as such, never an error, never pending again', async () => {
    const first = ((await t.store.insertDelivery(delivery('r1'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq: first, run: run('r1'), notices: [notice('r1')], calls: [] });
    // Stored again under a key that is gone (pruned by an older version), it becomes the same run.
    const seq = ((await t.store.insertDelivery(delivery('r1-copy'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: run('r1'), notices: [notice('r1')], calls: [] });
    expect(await t.store.pendingDeliveries(10)).toEqual([]);
    expect(await t.store.queueDepth()).toEqual({ news: 1 });
  });

  it('a delivery failing processing is parked after the attempts run out, as a failed run', async () => {
    const seq = ((await t.store.insertDelivery(delivery('bad'))) as { seq: number }).seq;
    await t.store.insertDelivery(delivery('good'));
    const parked = { ...run('bad', 'failed'), error: 'no longer parses' };
    expect(await t.store.deliveryFailed(seq, 'no longer parses', 2, parked)).toBe(false);
    expect((await t.store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['bad', 'good']);
    expect(await t.store.deliveryFailed(seq, 'no longer parses', 2, parked)).toBe(true);
    expect((await t.store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['good']);
    expect(await t.store.getRun('run_bad')).toMatchObject({ status: 'failed', error: 'no longer parses' });
    expect(await t.store.listRuns({ status: 'failed' })).toHaveLength(1);
    expect((await t.store.listNodes())[0]).toMatchObject({ lastStatus: 'failed', runs: 1 });
    expect(await t.store.deliveryFailed(seq, 'again', 2, parked)).toBe(false); // parked: no longer counted
  });
});
