// The outbox port's contract on SQLite and PostgreSQL: order per room, attempts, send and give-up
// settling runs, held notices released as one digest, and retry of failed ones.
import { expect, it } from 'vitest';
import { delivery, notice, onEachBackend, run, toRoom, toTrigger } from './backends.ts';
import { openPgDb } from '../../../src/adapters/store/pg-db.ts';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';
import { migrations } from '../../../src/adapters/store/schema-sql.ts';

onEachBackend('Outbox', (t) => {
  it('a run is announced when its last notice is sent, keeping room order', async () => {
    for (const id of ['a', 'b']) {
      const seq = ((await t.store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await t.store.commitProcessed({ seq, run: run(id), notices: [notice(id)], calls: [] });
    }
    const head = await t.store.headNotice(toRoom('news'));
    expect(head?.deliveryId).toBe('a');
    await t.store.markAttempt(head!.id, 2000, 2500, 'rate limited');
    expect((await t.store.headNotice(toRoom('news')))?.nextAttemptAt).toBe(2500);
    await t.store.markSent(head!.id, '$e1', 3000, [{ step: 'matrix.send', startedAt: 2900, durationMs: 100, outcome: 'ok' }]);
    expect(await t.store.getRun('run_a')).toMatchObject({ status: 'announced', notifiedAt: 3000 });
    expect(await t.store.getRun('run_b')).toMatchObject({ status: 'queued', notifiedAt: null });
    expect((await t.store.headNotice(toRoom('news')))?.deliveryId).toBe('b');
    expect((await t.store.callsOf('a')).map((c) => c.step)).toEqual(['receive', 'matrix.send']);
  });

  it('held notices become one digest; members are digested when it is sent', async () => {
    for (const id of ['h1', 'h2', 'h3']) {
      const seq = ((await t.store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await t.store.commitProcessed({ seq, run: run(id), notices: [notice(id, 'news', 'held')], calls: [] });
    }
    expect(await t.store.hasHeld('dataforge/api', 'news')).toBe(true);
    expect(await t.store.heldGroupsDue(4999, 10)).toEqual([]);
    expect(await t.store.heldGroupsDue(5000, 10)).toEqual([{ repo: 'dataforge/api', room: 'news' }]);
    // The clock went back: a hold ending more than the horizon from now is due as well.
    expect(await t.store.heldGroupsDue(1000, 10, 4000)).toEqual([]);
    expect(await t.store.heldGroupsDue(1000, 10, 3999)).toEqual([{ repo: 'dataforge/api', room: 'news' }]);
    const due = await t.store.heldOf('dataforge/api', 'news');
    expect(due.map((d) => d.deliveryId)).toEqual(['h1', 'h2', 'h3']);
    await t.store.releaseHeld(due.map((d) => d.id), { ...notice('x'), runId: null, deliveryId: null, kind: 'digest', txnId: 'digest-1', content: '{"body":"digest"}' }, null);
    expect(await t.store.hasHeld('dataforge/api', 'news')).toBe(false);
    const head = await t.store.headNotice(toRoom('news'));
    expect(head).toMatchObject({ kind: 'digest', txnId: 'digest-1' });
    await t.store.markSent(head!.id, '$d', 6000, [{ step: 'matrix.send', startedAt: 5990, durationMs: 10, outcome: 'ok' }]);
    for (const id of ['h1', 'h2', 'h3']) {
      expect(await t.store.getRun('run_' + id)).toMatchObject({ status: 'digested', notifiedAt: 6000 });
      expect((await t.store.callsOf(id)).map((c) => c.step)).toContain('matrix.send');
    }
    expect((await t.store.noticesOfRun('run_h2')).map((n) => n.kind)).toEqual(['notice', 'digest']);
  });

  it('a failed notice fails its run, and retryFailed queues it again', async () => {
    const seq = ((await t.store.insertDelivery(delivery('f'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: run('f'), notices: [notice('f')], calls: [] });
    const head = await t.store.headNotice(toRoom('news'));
    await t.store.markFailed(head!.id, 'gave up', 9000);
    expect(await t.store.getRun('run_f')).toMatchObject({ status: 'failed', error: 'gave up' });
    expect(await t.store.headNotice(toRoom('news'))).toBeNull();
    expect(await t.store.retryFailed('run_f', 9500)).toBe(1);
    expect(await t.store.getRun('run_f')).toMatchObject({ status: 'queued', error: null });
    expect((await t.store.headNotice(toRoom('news')))?.attempts).toBe(0);
  });

  it('destinations are typed: a room and a trigger of the same name are separate queues, each in its own order', async () => {
    const seq = ((await t.store.insertDelivery(delivery('x'))) as { seq: number }).seq;
    const trigger = { ...notice('x', 'ci'), dest: toTrigger('ci'), kind: 'trigger' as const, txnId: 'txn-x-trigger-ci' };
    await t.store.commitProcessed({ seq, run: run('x'), notices: [notice('x', 'ci'), trigger], calls: [] });
    const dests = await t.store.pendingDestinations();
    expect(dests).toHaveLength(2);
    expect(dests).toEqual(expect.arrayContaining([toRoom('ci'), toTrigger('ci')]));
    expect(await t.store.headNotice(toTrigger('ci'))).toMatchObject({ kind: 'trigger', dest: toTrigger('ci') });
    expect(await t.store.headNotice(toRoom('ci'))).toMatchObject({ kind: 'notice', dest: toRoom('ci') });
    expect(await t.store.queueDepth()).toEqual({ ci: 1, 'trigger:ci': 1 });
    // A trigger call never decides the run's settlement: the room notice does.
    await t.store.markSent((await t.store.headNotice(toRoom('ci')))!.id, '$e', 3000, []);
    expect(await t.store.getRun('run_x')).toMatchObject({ status: 'announced' });
  });

  it('rows written as `trigger:<name>` rooms before migration 4 become trigger destinations', async () => {
    await t.store.close();
    t.opened.length = 0;
    const raw = t.name === 'postgres' ? openPgDb(t.env.url) : openSqliteDb(t.env.url.slice('sqlite:'.length));
    // Back to schema 3 with one old-style trigger row.
    await raw.run(`DELETE FROM monitor_schema WHERE version >= 4`);
    await raw.run(`DROP TABLE monitor_windows`); // migration 7's
    await raw.run(`DROP INDEX monitor_notices_pending`); // migration 6's, on dest_kind
    await raw.run(`DROP INDEX IF EXISTS monitor_notices_dest`);
    await raw.run(`ALTER TABLE monitor_notices DROP COLUMN dest_kind`);
    await raw.run(`INSERT INTO monitor_notices (run_id, delivery_id, repo, room, kind, status, txn_id, item, content, created_at) VALUES ('r', 'd', 'dataforge/api', 'trigger:ci', 'trigger', 'pending', 'tx', '{}', '{}', 1)`);
    await raw.close();
    expect(migrations('sqlite').length).toBeGreaterThanOrEqual(4);
    t.store = await t.env.open();
    t.opened.push(t.store);
    expect(await t.store.pendingDestinations()).toEqual([toTrigger('ci')]);
    expect(await t.store.headNotice(toTrigger('ci'))).toMatchObject({ txnId: 'tx', dest: toTrigger('ci') });
  });
});

onEachBackend('Outbox batches', (t) => {
  it('headNotices: the oldest pending rows of one destination, in order, at most the limit', async () => {
    for (const id of ['a', 'b', 'c']) {
      const seq = ((await t.store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await t.store.commitProcessed({ seq, run: run(id), notices: [notice(id), notice(id, 'other')], calls: [] });
    }
    expect((await t.store.headNotices(toRoom('news'), 2)).map((n) => n.deliveryId)).toEqual(['a', 'b']);
    await t.store.markSent((await t.store.headNotice(toRoom('news')))!.id, '$a', 3000, []);
    expect((await t.store.headNotices(toRoom('news'), 10)).map((n) => n.deliveryId)).toEqual(['b', 'c']);
    expect((await t.store.headNotices(toRoom('other'), 10)).map((n) => n.deliveryId)).toEqual(['a', 'b', 'c']);
    expect(await t.store.headNotices(toTrigger('news'), 10)).toEqual([]);
  });

  it('releaseHeld releases nothing, and says so, when a member is no longer held (merged meanwhile)', async () => {
    for (const id of ['h1', 'h2']) {
      const seq = ((await t.store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await t.store.commitProcessed({ seq, run: run(id), notices: [notice(id, 'news', 'held')], calls: [] });
    }
    const due = await t.store.heldOf('dataforge/api', 'news');
    await t.store.mergeHeld([due[0]!.id], 'txn-h2-news'); // a processing batch merged h1 after the read
    const digest = { ...notice('x'), runId: null, deliveryId: null, kind: 'digest' as const, txnId: 'digest-1', content: '{"body":"digest"}' };
    expect(await t.store.releaseHeld(due.map((d) => d.id), digest, null)).toBe(false);
    expect((await t.store.heldOf('dataforge/api', 'news')).map((d) => d.deliveryId)).toEqual(['h2']);
    expect(await t.store.queueDepth()).toEqual({ news: 1 }); // h2 still held, no digest queued
    expect(await t.store.releaseHeld([due[1]!.id], null, { id: due[1]!.id, content: '{"body":"one"}' })).toBe(true);
    expect(await t.store.releaseHeld([due[1]!.id], null, { id: due[1]!.id, content: '{"body":"one"}' })).toBe(false);
  });
});
