// The dashboard's values over a fake records port and health body: counting, merging, parsing.
import { describe, expect, it } from 'vitest';
import { toRoom, toTrigger } from '../../src/adapters/store/destination.ts';
import { configView, extractorsView, parseRunsQuery, runDetail, RUNS_24H_CAP, type DataSource } from '../../src/dashboard/data.ts';
import type { NodeRecord, NoticeRow, RunRecord, Store } from '../../src/adapters/store/types.ts';
import type { HealthBody } from '../../src/http/app.ts';
import type { Config } from '../../src/config/config.ts';
import { Secret } from '../../src/secret.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const H = 3_600_000;

const runAt = (nodeId: string, receivedAt: number, i = 0): RunRecord => ({
  runId: `run_${nodeId}_${i}`, nodeId, repo: `dataforge/${nodeId.replace('gitea_push_', '')}`, trigger: 'webhook', status: 'announced', event: 'push', ref: 'refs/heads/main',
  before: null, after: null, commits: 1, deliveryId: `d_${nodeId}_${i}`, receivedAt, notifiedAt: receivedAt + 40, summary: null, error: null,
});

function source(o: { nodes?: NodeRecord[]; runs?: RunRecord[]; notices?: NoticeRow[]; health?: Partial<HealthBody>; config?: Partial<Config> } = {}): DataSource {
  const runs = [...(o.runs ?? [])].sort((a, b) => b.receivedAt - a.receivedAt);
  const store = {
    listNodes: async () => o.nodes ?? [],
    listRuns: async ({ nodeId, limit = 100 }: { nodeId?: string; limit?: number }) => runs.filter((r) => !nodeId || r.nodeId === nodeId).slice(0, limit),
    getRun: async (id: string) => runs.find((r) => r.runId === id) ?? null,
    callsOf: async () => [
      { step: 'receive', startedAt: NOW - 100, durationMs: 0.5, outcome: 'ok', detail: null, runId: null },
      { step: 'matrix.send', startedAt: NOW - 60, durationMs: 12, outcome: 'ok', detail: 'sent', runId: 'run_x' },
    ],
    noticesOfRun: async () => o.notices ?? [],
  } as unknown as Store;
  const health: HealthBody = { status: 'ok', version: '9.9.9', config_hash: 'h', repos: [], rooms: [], dashboard: '/ui/', ...o.health };
  const config = { matrix: { rooms: { news: '#news:x' } }, dashboard: { token: null }, ...o.config } as unknown as Config;
  return { store, health: async () => health, config: () => config, now: () => NOW };
}

const node = (nodeId: string, repo: string, runs: number): NodeRecord => ({ nodeId, repo, kind: 'extractor', lastRunAt: NOW - H, lastStatus: 'announced', runs });

describe('extractorsView', () => {
  it('counts only the runs of the last 24 h, and joins the hook state by repository', async () => {
    const v = await extractorsView(source({
      nodes: [node('gitea_push_api', 'dataforge/api', 3)],
      runs: [runAt('gitea_push_api', NOW - H, 1), runAt('gitea_push_api', NOW - 23 * H, 2), runAt('gitea_push_api', NOW - 25 * H, 3)],
      health: { repos: [{ repo: 'dataforge/api', hook: 'error', detail: 'HTTP 403' }] },
    }));
    expect(v.nodes).toEqual([{
      node_id: 'gitea_push_api', repo: 'dataforge/api', last_run_at: new Date(NOW - H).toISOString(), last_status: 'announced', runs: 3, runs_24h: 2, runs_24h_capped: false,
      hook: { state: 'error', detail: 'HTTP 403' },
    }]);
  });

  it('marks the counts as lower bounds when every run it read is within 24 h', async () => {
    const many = Array.from({ length: RUNS_24H_CAP }, (_, i) => runAt('gitea_push_api', NOW - i * 1000, i));
    const full = await extractorsView(source({ nodes: [node('gitea_push_api', 'dataforge/api', RUNS_24H_CAP + 10)], runs: [...many, runAt('gitea_push_api', NOW - 2 * H, -1)] }));
    expect(full.nodes[0]).toMatchObject({ runs_24h: RUNS_24H_CAP, runs_24h_capped: true });
    const old = await extractorsView(source({ nodes: [node('gitea_push_api', 'dataforge/api', 2)], runs: [runAt('gitea_push_api', NOW - H, 1), runAt('gitea_push_api', NOW - 30 * H, 2)] }));
    expect(old.nodes[0]).toMatchObject({ runs_24h: 1, runs_24h_capped: false });
  });

  it('gives a hooked repository without runs its own row, after the nodes with runs', async () => {
    const v = await extractorsView(source({
      nodes: [node('gitea_push_api', 'dataforge/api', 0)],
      health: { repos: [{ repo: 'dataforge/web', hook: 'pending', detail: 'waiting' }, { repo: 'dataforge/api', hook: 'ready', detail: null }] },
    }));
    expect(v.nodes.map((n) => [n.node_id, n.last_run_at, n.hook?.state])).toEqual([
      ['gitea_push_api', new Date(NOW - H).toISOString(), 'ready'],
      ['gitea_push_web', null, 'pending'],
    ]);
  });
});

describe('parseRunsQuery', () => {
  it.each<[string, unknown]>([
    ['', { ok: true, value: { nodeId: undefined, repo: undefined, status: undefined, limit: 50 } }],
    ['repo=dataforge/api&status=failed&limit=10', { ok: true, value: { nodeId: undefined, repo: 'dataforge/api', status: 'failed', limit: 10 } }],
    ['repo=&status=', { ok: true, value: { nodeId: undefined, repo: undefined, status: undefined, limit: 50 } }],
    ['node=gitea_push_api', { ok: true, value: { nodeId: 'gitea_push_api', repo: undefined, status: undefined, limit: 50 } }],
    ['status=done', { ok: false, detail: expect.stringContaining('status must be one of') }],
    ['limit=501', { ok: false, detail: expect.stringContaining('limit') }],
    ['limit=2.5', { ok: false, detail: expect.stringContaining('limit') }],
    ['repo=api', { ok: false, detail: 'repo must be owner/name' }],
  ])('%s', (q, want) => expect(parseRunsQuery(new URLSearchParams(q))).toEqual(want));
});

describe('runDetail', () => {
  const notice = (o: Partial<NoticeRow>): NoticeRow => ({
    id: 1, runId: 'run_gitea_push_api_0', deliveryId: 'd', repo: 'dataforge/api', dest: toRoom('news'), kind: 'notice', status: 'sent', holdUntil: null, txnId: 't', item: '{}',
    content: '{"msgtype":"m.notice","body":"hi"}', createdAt: NOW - 100, digestId: null, sentAt: NOW - 50, attempts: 1, firstAttemptAt: NOW - 60, nextAttemptAt: null, lastError: null, eventId: '$e', ...o,
  });
  it('gives call offsets from the first call, and separates notices from trigger calls', async () => {
    const v = await runDetail(source({
      runs: [runAt('gitea_push_api', NOW - 100)],
      notices: [notice({}), notice({ id: 2, dest: toRoom('gone'), content: null, status: 'pending', eventId: null, sentAt: null }), notice({ id: 3, kind: 'trigger', dest: toTrigger('dag'), content: '{"run_id":"r"}', eventId: 'HTTP 200' })],
    }), 'run_gitea_push_api_0');
    expect(v!.calls.map((c) => [c.step, c.offset_ms])).toEqual([['receive', 0], ['matrix.send', 40]]);
    expect(v!.notices.map((n) => [n.id, n.room, n.room_target, n.content])).toEqual([[1, 'news', '#news:x', { msgtype: 'm.notice', body: 'hi' }], [2, 'gone', null, null]]);
    expect(v!.triggers).toEqual([{ id: 3, trigger: 'dag', status: 'sent', payload: { run_id: 'r' }, result: 'HTTP 200', sent_at: new Date(NOW - 50).toISOString(), attempts: 1, last_error: null }]);
  });
  it('is null for an unknown run', async () => {
    expect(await runDetail(source(), 'run_nope')).toBeNull();
  });
});

describe('configView', () => {
  it('carries the reload result once health has it, and the rooms with their join state', async () => {
    const v = await configView(source({
      health: { rooms: [{ room: 'news', state: 'joined', detail: '!abc:x' }], reload: { ok: false, at: '2026-05-01T11:00:00.000Z', error: 'line 3: bad' } },
      config: { matrix: { rooms: { news: '#news:x', ops: '#ops:x' } }, dashboard: { token: new Secret('t0ken-t0ken') } } as unknown as Partial<Config>,
    }));
    expect(v).toEqual({
      version: '9.9.9', status: 'ok', config_hash: 'h', auth: 'token', reload: { ok: false, at: '2026-05-01T11:00:00.000Z', error: 'line 3: bad' },
      rooms: [{ room: 'news', target: '#news:x', state: 'joined', detail: '!abc:x' }, { room: 'ops', target: '#ops:x', state: 'pending', detail: null }],
    });
    expect(JSON.stringify(v)).not.toContain('t0ken');
  });
  it('has reload null before the first reload', async () => {
    expect((await configView(source())).reload).toBeNull();
  });
});
