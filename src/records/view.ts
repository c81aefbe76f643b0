// The shape `monitor runs --json` and the dashboard API share:
// {nodes: [{node_id, repo, last_run_at, last_status, runs}], runs: [{run_id, node_id, delivery_id,
// event, ref, status, trigger, commits, received_at, notified_at}]}, newest first, times ISO 8601.
import type { RunRecord, Store } from '../adapters/store/types.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface RunView {
  run_id: string;
  node_id: string;
  repo: string;
  delivery_id: string;
  event: string;
  ref: string | null;
  status: string;
  trigger: string;
  commits: number;
  received_at: string | null;
  notified_at: string | null;
  latency_ms: number | null;
  summary: string | null;
  error: string | null;
}

export interface RunsView {
  nodes: Array<{ node_id: string; repo: string; last_run_at: string | null; last_status: string | null; runs: number }>;
  runs: RunView[];
}

export function runView(r: RunRecord): RunView {
  return {
    run_id: r.runId, node_id: r.nodeId, repo: r.repo, delivery_id: r.deliveryId, event: r.event, ref: r.ref, status: r.status, trigger: r.trigger,
    commits: r.commits, received_at: iso(r.receivedAt), notified_at: iso(r.notifiedAt),
    latency_ms: r.notifiedAt === null ? null : r.notifiedAt - r.receivedAt, summary: r.summary, error: r.error,
  };
}

export async function runsView(store: Store, opts: { nodeId?: string; limit?: number; status?: string }): Promise<RunsView> {
  const nodes = (await store.listNodes()).filter((n) => !opts.nodeId || n.nodeId === opts.nodeId);
  const runs = await store.listRuns({ nodeId: opts.nodeId, limit: opts.limit ?? 50, status: opts.status });
  return {
    nodes: nodes.map((n) => ({ node_id: n.nodeId, repo: n.repo, last_run_at: iso(n.lastRunAt), last_status: n.lastStatus, runs: n.runs })),
    runs: runs.map(runView),
  };
}

export function formatRunsText(v: RunsView): string {
  const lines: string[] = [];
  lines.push(v.nodes.length ? 'NODE                              LAST RUN                   STATUS      RUNS' : 'No nodes recorded yet.');
  for (const n of v.nodes) lines.push(`${n.node_id.padEnd(34)}${(n.last_run_at ?? '-').padEnd(27)}${(n.last_status ?? '-').padEnd(12)}${n.runs}`);
  if (v.runs.length) {
    lines.push('', 'RUN                        NODE                         EVENT    REF                        COMMITS  STATUS      RECEIVED');
    for (const r of v.runs)
      lines.push(`${r.run_id.padEnd(27)}${r.node_id.padEnd(29)}${r.event.padEnd(9)}${(r.ref ?? '-').slice(0, 26).padEnd(27)}${String(r.commits).padEnd(9)}${r.status.padEnd(12)}${r.received_at}`);
  }
  return lines.join('\n') + '\n';
}
