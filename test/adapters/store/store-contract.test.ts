// One contract suite for both Store adapters: SQLite (node:sqlite) and PostgreSQL (the real server).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/adapters/store/open.ts';
import type { NewNotice, RunRecord, Store } from '../../../src/adapters/store/types.ts';
import { createTempDatabase } from '../../helpers/pg.ts';
import { migrations } from '../../../src/adapters/store/schema-sql.ts';
import { openPgDb } from '../../../src/adapters/store/pg-db.ts';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';

const delivery = (id: string, body = `{"id":"${id}"}`) => ({ deliveryId: id, runId: 'run_' + id, bodySha256: 'sha-' + body, event: 'push', repo: 'dataforge/api', body, receivedAt: 1000, calls: [{ step: 'receive', startedAt: 1000, durationMs: 1, outcome: 'ok' }] });
const run = (deliveryId: string, status: RunRecord['status'] = 'queued'): RunRecord => ({
  runId: 'run_' + deliveryId, nodeId: 'gitea_push_api', repo: 'dataforge/api', trigger: 'webhook', status, event: 'push', ref: 'refs/heads/main',
  before: 'a', after: 'b', commits: 3, deliveryId, receivedAt: 1000, notifiedAt: null, summary: 's', error: null,
});
const notice = (deliveryId: string, room = 'news', status: 'pending' | 'held' = 'pending'): NewNotice => ({
  runId: 'run_' + deliveryId, deliveryId, repo: 'dataforge/api', room, kind: 'notice', status, holdUntil: status === 'held' ? 5000 : null,
  txnId: `txn-${deliveryId}-${room}`, item: '{}', content: status === 'pending' ? '{"body":"x"}' : null, createdAt: 1000,
});

const backends: Array<[string, () => Promise<{ url: string; open(): Promise<Store>; drop(): Promise<void> }>]> = [
  ['sqlite', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'grm-store-')), 'm.db');
    return { url: `sqlite:${file}`, open: () => openStore(`sqlite:${file}`), drop: async () => undefined };
  }],
  ['postgres', async () => {
    const db = await createTempDatabase();
    return { url: db.url, open: () => openStore(db.url), drop: db.drop };
  }],
];

describe.each(backends)('Store on %s', (_name, backend) => {
  let store: Store;
  let env: Awaited<ReturnType<typeof backend>>;
  const opened: Store[] = [];
  beforeEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    if (env) await env.drop();
    env = await backend();
    store = await env.open();
    opened.push(store);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await env?.drop();
  });

  it('dedupes by delivery id and by body bytes', async () => {
    expect(await store.insertDelivery(delivery('d1'))).toMatchObject({ inserted: true });
    expect(await store.insertDelivery(delivery('d1'))).toEqual({ inserted: false, duplicateOf: 'd1', by: 'delivery_id' });
    expect(await store.insertDelivery({ ...delivery('d2'), bodySha256: delivery('d1').bodySha256 })).toEqual({ inserted: false, duplicateOf: 'd1', by: 'body' });
    expect((await store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['d1']);
  });

  it('dedupe is atomic when the same delivery is stored concurrently (two connections on PostgreSQL)', async () => {
    // SQLite serves one replica: its one connection serialises; PostgreSQL serves several.
    const other = _name === 'postgres' ? await env.open() : store;
    if (other !== store) opened.push(other);
    const results = await Promise.all([store, other, store, other].map((s) => s.insertDelivery(delivery('same'))));
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
  });

  it('migrations run once and are safe to repeat', async () => {
    await store.migrate();
    const again = await env.open();
    opened.push(again);
    expect(await again.insertDelivery(delivery('m1'))).toMatchObject({ inserted: true });
  });

  it('refuses a records database at a newer schema version than this code knows', async () => {
    const newer = migrations(_name === 'postgres' ? 'postgres' : 'sqlite').length + 1;
    await store.close();
    opened.length = 0;
    const raw = _name === 'postgres' ? openPgDb(env.url) : openSqliteDb(env.url.slice('sqlite:'.length));
    await raw.run(`INSERT INTO monitor_schema (version) VALUES (?)`, [newer]);
    await raw.close();
    await expect(env.open()).rejects.toThrow(`records database is at schema ${newer}, this version knows ${newer - 1}`);
    store = await openStore('sqlite::memory:'); // for the next beforeEach
    opened.push(store);
  });

  it('records a processed delivery once, with node, run, notices and call chain', async () => {
    const ins = await store.insertDelivery(delivery('d1'));
    const seq = (ins as { seq: number }).seq;
    const p = { seq, run: run('d1'), notices: [notice('d1'), notice('d1', 'ops')], calls: [{ step: 'render', startedAt: 1001, durationMs: 2, outcome: 'ok' }] };
    await store.commitProcessed(p);
    await store.commitProcessed(p); // idempotent
    expect(await store.pendingDeliveries(10)).toEqual([]);
    expect(await store.listRuns({})).toHaveLength(1);
    expect((await store.listNodes())[0]).toMatchObject({ nodeId: 'gitea_push_api', lastRunAt: 1000, lastStatus: 'queued', runs: 1 });
    expect((await store.callsOf('d1')).map((c) => [c.step, c.runId])).toEqual([['receive', 'run_d1'], ['render', 'run_d1']]);
    expect((await store.roomsWithPending()).sort()).toEqual(['news', 'ops']);
    expect(await store.queueDepth()).toEqual({ news: 1, ops: 1 });
  });

  it('a run is announced when its last notice is sent, keeping room order', async () => {
    for (const id of ['a', 'b']) {
      const seq = ((await store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await store.commitProcessed({ seq, run: run(id), notices: [notice(id)], calls: [] });
    }
    const head = await store.headNotice('news');
    expect(head?.deliveryId).toBe('a');
    await store.markAttempt(head!.id, 2000, 2500, 'rate limited');
    expect((await store.headNotice('news'))?.nextAttemptAt).toBe(2500);
    await store.markSent(head!.id, '$e1', 3000, [{ step: 'matrix.send', startedAt: 2900, durationMs: 100, outcome: 'ok' }]);
    expect(await store.getRun('run_a')).toMatchObject({ status: 'announced', notifiedAt: 3000 });
    expect(await store.getRun('run_b')).toMatchObject({ status: 'queued', notifiedAt: null });
    expect((await store.headNotice('news'))?.deliveryId).toBe('b');
    expect((await store.callsOf('a')).map((c) => c.step)).toEqual(['receive', 'matrix.send']);
  });

  it('held notices become one digest; members are digested when it is sent', async () => {
    for (const id of ['h1', 'h2', 'h3']) {
      const seq = ((await store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await store.commitProcessed({ seq, run: run(id), notices: [notice(id, 'news', 'held')], calls: [] });
    }
    expect(await store.hasHeld('dataforge/api', 'news')).toBe(true);
    expect(await store.heldGroupsDue(4999, 10)).toEqual([]);
    expect(await store.heldGroupsDue(5000, 10)).toEqual([{ repo: 'dataforge/api', room: 'news' }]);
    // The clock went back: a hold ending more than the horizon from now is due as well.
    expect(await store.heldGroupsDue(1000, 10, 4000)).toEqual([]);
    expect(await store.heldGroupsDue(1000, 10, 3999)).toEqual([{ repo: 'dataforge/api', room: 'news' }]);
    const due = await store.heldOf('dataforge/api', 'news');
    expect(due.map((d) => d.deliveryId)).toEqual(['h1', 'h2', 'h3']);
    await store.releaseHeld(due.map((d) => d.id), { ...notice('x'), runId: null, deliveryId: null, kind: 'digest', txnId: 'digest-1', content: '{"body":"digest"}' }, null);
    expect(await store.hasHeld('dataforge/api', 'news')).toBe(false);
    const head = await store.headNotice('news');
    expect(head).toMatchObject({ kind: 'digest', txnId: 'digest-1' });
    await store.markSent(head!.id, '$d', 6000, [{ step: 'matrix.send', startedAt: 5990, durationMs: 10, outcome: 'ok' }]);
    for (const id of ['h1', 'h2', 'h3']) {
      expect(await store.getRun('run_' + id)).toMatchObject({ status: 'digested', notifiedAt: 6000 });
      expect((await store.callsOf(id)).map((c) => c.step)).toContain('matrix.send');
    }
    expect((await store.noticesOfRun('run_h2')).map((n) => n.kind)).toEqual(['notice', 'digest']);
  });

  it('a failed notice fails its run, and retryFailed queues it again', async () => {
    const seq = ((await store.insertDelivery(delivery('f'))) as { seq: number }).seq;
    await store.commitProcessed({ seq, run: run('f'), notices: [notice('f')], calls: [] });
    const head = await store.headNotice('news');
    await store.markFailed(head!.id, 'gave up', 9000);
    expect(await store.getRun('run_f')).toMatchObject({ status: 'failed', error: 'gave up' });
    expect(await store.headNotice('news')).toBeNull();
    expect(await store.retryFailed('run_f', 9500)).toBe(1);
    expect(await store.getRun('run_f')).toMatchObject({ status: 'queued', error: null });
    expect((await store.headNotice('news'))?.attempts).toBe(0);
  });

  it('prunes the bodies of settled deliveries, never their dedupe keys (a replay after the prune is still a duplicate)', async () => {
    const seq = ((await store.insertDelivery(delivery('old'))) as { seq: number }).seq;
    await store.commitProcessed({ seq, run: run('old', 'recorded'), notices: [], calls: [] });
    await store.insertDelivery({ ...delivery('pending'), receivedAt: 500 });
    expect(await store.pruneDeliveries(2000)).toBe(1);
    expect(await store.pruneDeliveries(2000)).toBe(0);
    expect(await store.insertDelivery(delivery('old'))).toEqual({ inserted: false, duplicateOf: 'old', by: 'delivery_id' });
    expect(await store.insertDelivery({ ...delivery('new-id'), bodySha256: delivery('old').bodySha256 })).toEqual({ inserted: false, duplicateOf: 'old', by: 'body' });
    expect((await store.pendingDeliveries(10)).map((d) => [d.deliveryId, d.body])).toEqual([['pending', delivery('pending').body]]);
  });

  it('the prune drops the rendered text of sent notices with the bodies; pending and failed ones keep theirs', async () => {
    for (const id of ['s', 'p', 'f']) {
      const seq = ((await store.insertDelivery(delivery(id))) as { seq: number }).seq;
      await store.commitProcessed({ seq, run: run(id), notices: [notice(id, id)], calls: [] });
    }
    await store.markSent((await store.headNotice('s'))!.id, '$e', 1500, []);
    await store.markFailed((await store.headNotice('f'))!.id, 'gave up', 1500);
    await store.pruneDeliveries(2000);
    const content = async (id: string) => (await store.noticesOfRun('run_' + id))[0]!.content;
    expect(await content('s')).toBeNull();
    expect(await content('p')).toBe('{"body":"x"}');
    expect(await content('f')).toBe('{"body":"x"}');
  });

  it('a delivery whose run already exists is a duplicate: recorded as such, never an error, never pending again', async () => {
    const first = ((await store.insertDelivery(delivery('r1'))) as { seq: number }).seq;
    await store.commitProcessed({ seq: first, run: run('r1'), notices: [notice('r1')], calls: [] });
    // Stored again under a key that is gone (pruned by an older version), it becomes the same run.
    const seq = ((await store.insertDelivery(delivery('r1-copy'))) as { seq: number }).seq;
    await store.commitProcessed({ seq, run: run('r1'), notices: [notice('r1')], calls: [] });
    expect(await store.pendingDeliveries(10)).toEqual([]);
    expect(await store.queueDepth()).toEqual({ news: 1 });
  });

  it('a delivery failing processing is parked after the attempts run out, as a failed run', async () => {
    const seq = ((await store.insertDelivery(delivery('bad'))) as { seq: number }).seq;
    await store.insertDelivery(delivery('good'));
    const parked = { ...run('bad', 'failed'), error: 'no longer parses' };
    expect(await store.deliveryFailed(seq, 'no longer parses', 2, parked)).toBe(false);
    expect((await store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['bad', 'good']);
    expect(await store.deliveryFailed(seq, 'no longer parses', 2, parked)).toBe(true);
    expect((await store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['good']);
    expect(await store.getRun('run_bad')).toMatchObject({ status: 'failed', error: 'no longer parses' });
    expect(await store.listRuns({ status: 'failed' })).toHaveLength(1);
    expect((await store.listNodes())[0]).toMatchObject({ lastStatus: 'failed', runs: 1 });
    expect(await store.deliveryFailed(seq, 'again', 2, parked)).toBe(false); // parked: no longer counted
  });
});
