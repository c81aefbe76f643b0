// The run-log port's contract on SQLite and PostgreSQL: runs newest first with filters and a limit,
// nodes with their latest run's status and run count, call chains in order.
import { expect, it } from 'vitest';
import type { RunLog } from '../../../src/adapters/store/types.ts';
import { delivery, onEachBackend, run } from './backends.ts';

onEachBackend('Run log', (t) => {
  const record = async (id: string, over: Partial<ReturnType<typeof run>>) => {
    const seq = ((await t.store.insertDelivery({ ...delivery(id), receivedAt: over.receivedAt ?? 1000 })) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: { ...run(id), ...over }, notices: [], calls: [{ step: 'render', startedAt: 1001, durationMs: 1, outcome: 'ok' }] });
  };

  it('lists runs newest first, by node and status, up to a limit; a node shows its latest run', async () => {
    await record('r1', { receivedAt: 1000, status: 'recorded' });
    await record('r2', { receivedAt: 3000, status: 'skipped' });
    await record('r3', { receivedAt: 2000, status: 'recorded', nodeId: 'gitea_push_web', repo: 'dataforge/web' });
    const log: RunLog = t.store;
    expect((await log.listRuns({})).map((r) => r.deliveryId)).toEqual(['r2', 'r3', 'r1']);
    expect((await log.listRuns({ limit: 1 })).map((r) => r.deliveryId)).toEqual(['r2']);
    expect((await log.listRuns({ nodeId: 'gitea_push_api' })).map((r) => r.deliveryId)).toEqual(['r2', 'r1']);
    expect((await log.listRuns({ status: 'recorded' })).map((r) => r.deliveryId)).toEqual(['r3', 'r1']);
    expect(await log.listNodes()).toEqual([
      { nodeId: 'gitea_push_api', repo: 'dataforge/api', kind: 'extractor', lastRunAt: 3000, lastStatus: 'skipped', runs: 2 },
      { nodeId: 'gitea_push_web', repo: 'dataforge/web', kind: 'extractor', lastRunAt: 2000, lastStatus: 'recorded', runs: 1 },
    ]);
    expect(await log.getRun('run_r3')).toMatchObject({ repo: 'dataforge/web', status: 'recorded', commits: 3 });
    expect(await log.getRun('run_nope')).toBeNull();
    expect((await log.callsOf('r1')).map((c) => [c.step, c.runId])).toEqual([['receive', 'run_r1'], ['render', 'run_r1']]);
    expect(await log.callsOf('nope')).toEqual([]);
  });
});
