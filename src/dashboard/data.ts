// What the dashboard shows, as plain JSON values: the /ui/api/ bodies and the input of the pages.
// Runs share their shape with `monitor runs --json` (records/view.ts); everything here only adds.
import type { Config } from '../config/config.ts';
import type { HealthBody } from '../http/app.ts';
import { type RunStatus, type Store } from '../adapters/store/types.ts';
import { chooseNodeId } from '../records/node-id.ts';
import { runsView, runView, type RunView, type RunsView } from '../records/view.ts';

export interface DataSource {
  store: Store;
  health(): Promise<HealthBody>;
  config(): Config;
  now(): number;
}

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'announced', 'digested', 'skipped', 'recorded', 'failed'];
const DAY_MS = 86_400_000;
/** Newest runs read to count "last 24 h"; when all of them are that recent the counts are lower bounds (`runs_24h_capped`). */
export const RUNS_24H_CAP = 5000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface ExtractorRow {
  node_id: string;
  repo: string;
  last_run_at: string | null;
  last_status: string | null;
  runs: number;
  runs_24h: number;
  runs_24h_capped: boolean;
  /** From /webhook/health; null when this process does not reconcile that repo. */
  hook: { state: 'ready' | 'pending' | 'error'; detail: string | null } | null;
}

export interface ExtractorsView {
  generated_at: string;
  status: HealthBody['status'];
  nodes: ExtractorRow[];
}

export async function extractorsView(src: DataSource): Promise<ExtractorsView> {
  const now = src.now();
  // One query for every node (the page polls): the newest runs, counted per node within 24 h.
  const [nodes, health, recent] = await Promise.all([src.store.listNodes(), src.health(), src.store.listRuns({ limit: RUNS_24H_CAP })]);
  const hooks = new Map(health.repos.map((r) => [r.repo, { state: r.hook, detail: r.detail }]));
  const perNode = new Map<string, number>();
  for (const r of recent) if (r.receivedAt >= now - DAY_MS) perNode.set(r.nodeId, (perNode.get(r.nodeId) ?? 0) + 1);
  // A full page whose oldest run is still within 24 h: older ones were cut off, the counts are lower bounds.
  const capped = recent.length === RUNS_24H_CAP && recent[recent.length - 1]!.receivedAt >= now - DAY_MS;
  const rows: ExtractorRow[] = nodes.map((n) => ({
    node_id: n.nodeId, repo: n.repo, last_run_at: iso(n.lastRunAt), last_status: n.lastStatus, runs: n.runs,
    runs_24h: perNode.get(n.nodeId) ?? 0, runs_24h_capped: capped, hook: hooks.get(n.repo) ?? null,
  }));
  // Repositories with a hook but no run yet still get their row: that is where a broken hook shows.
  const seen = new Set(rows.map((r) => r.repo));
  for (const r of health.repos.filter((h) => !seen.has(h.repo)).sort((a, b) => a.repo.localeCompare(b.repo))) {
    rows.push({ node_id: chooseNodeId(r.repo, rows.map((x) => ({ nodeId: x.node_id, repo: x.repo }))), repo: r.repo, last_run_at: null, last_status: null, runs: 0, runs_24h: 0, runs_24h_capped: false, hook: { state: r.hook, detail: r.detail } });
  }
  return { generated_at: new Date(now).toISOString(), status: health.status, nodes: rows };
}

export interface RunsQuery {
  nodeId?: string;
  repo?: string;
  status?: RunStatus;
  limit: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

/** `node`, `repo`, `status`, `limit` from a query string; empty values mean "no filter". */
export function parseRunsQuery(q: URLSearchParams): Parsed<RunsQuery> {
  const get = (k: string) => q.get(k)?.trim() || undefined;
  const status = get('status');
  if (status && !RUN_STATUSES.includes(status as RunStatus)) return { ok: false, detail: `status must be one of ${RUN_STATUSES.join(', ')}` };
  const limitText = get('limit');
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return { ok: false, detail: 'limit must be a whole number from 1 to 500' };
  const repo = get('repo');
  if (repo && !/^[^/\s]+\/[^/\s]+$/.test(repo)) return { ok: false, detail: 'repo must be owner/name' };
  return { ok: true, value: { nodeId: get('node'), repo, status: status as RunStatus | undefined, limit } };
}

export async function runsApi(src: DataSource, q: RunsQuery): Promise<RunsView> {
  const repo = q.repo?.toLowerCase();
  const nodeId = q.nodeId ?? (repo ? (await src.store.listNodes()).find((n) => n.repo.toLowerCase() === repo)?.nodeId ?? '(none)' : undefined);
  return runsView(src.store, { nodeId, limit: q.limit, status: q.status });
}

export interface CallView {
  step: string;
  started_at: string;
  offset_ms: number;
  duration_ms: number;
  outcome: string;
  detail: string | null;
}

export interface NoticeView {
  id: number;
  kind: 'notice' | 'digest';
  room: string;
  /** The alias or room id the room name stands for in matrix.rooms (null once removed from the config). */
  room_target: string | null;
  status: string;
  /** The Matrix event content as posted (or as it will be posted). */
  content: Record<string, unknown> | null;
  event_id: string | null;
  created_at: string | null;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
  digest_id: number | null;
}

/** A downstream trigger call of the run (an outbox row like a notice, with a trigger as its destination). */
export interface TriggerView {
  id: number;
  trigger: string;
  status: string;
  /** The JSON body posted to the trigger. */
  payload: Record<string, unknown> | null;
  /** What the trigger answered, e.g. "HTTP 200". */
  result: string | null;
  sent_at: string | null;
  attempts: number;
  last_error: string | null;
}

export interface RunDetailView {
  run: RunView;
  calls: CallView[];
  notices: NoticeView[];
  triggers: TriggerView[];
}

function parseContent(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function runDetail(src: DataSource, runId: string): Promise<RunDetailView | null> {
  const run = await src.store.getRun(runId);
  if (!run) return null;
  const [calls, notices] = await Promise.all([src.store.callsOf(run.deliveryId), src.store.noticesOfRun(run.runId)]);
  const t0 = calls.reduce((m, c) => Math.min(m, c.startedAt), Infinity);
  const rooms = src.config().matrix.rooms;
  const triggers = notices.flatMap((n) => (n.dest.kind === 'trigger' ? [{ ...n, trigger: n.dest.trigger }] : []));
  return {
    run: runView(run),
    calls: calls.map((c) => ({ step: c.step, started_at: new Date(c.startedAt).toISOString(), offset_ms: c.startedAt - t0, duration_ms: c.durationMs, outcome: c.outcome, detail: c.detail ?? null })),
    notices: notices.flatMap((n) => (n.kind === 'trigger' || n.dest.kind !== 'room' ? [] : [{
      id: n.id, kind: n.kind, room: n.dest.room, room_target: rooms[n.dest.room] ?? null, status: n.status, content: parseContent(n.content), event_id: n.eventId,
      created_at: iso(n.createdAt), sent_at: iso(n.sentAt), attempts: n.attempts, last_error: n.lastError, digest_id: n.digestId,
    }])),
    triggers: triggers.map((n) => ({
      id: n.id, trigger: n.trigger, status: n.status, payload: parseContent(n.content), result: n.eventId,
      sent_at: iso(n.sentAt), attempts: n.attempts, last_error: n.lastError,
    })),
  };
}

export interface ReloadInfo {
  ok: boolean;
  at: string;
  error: string | null;
}

export interface ConfigView {
  version: string;
  status: HealthBody['status'];
  config_hash: string;
  /** The last reload, once the health body carries it. */
  reload: ReloadInfo | null;
  auth: 'token' | 'loopback';
  rooms: Array<{ room: string; target: string; state: string; detail: string | null }>;
}

function reloadOf(health: HealthBody): ReloadInfo | null {
  const r = (health as HealthBody & { reload?: Partial<ReloadInfo> | null }).reload;
  if (!r || typeof r.ok !== 'boolean' || typeof r.at !== 'string') return null;
  return { ok: r.ok, at: r.at, error: typeof r.error === 'string' ? r.error : null };
}

export async function configView(src: DataSource): Promise<ConfigView> {
  const health = await src.health();
  const c = src.config();
  const states = new Map((health.rooms ?? []).map((r) => [r.room, r]));
  return {
    version: health.version, status: health.status, config_hash: health.config_hash, reload: reloadOf(health),
    auth: c.dashboard.token ? 'token' : 'loopback',
    rooms: Object.entries(c.matrix.rooms).map(([room, target]) => ({ room, target, state: states.get(room)?.state ?? 'pending', detail: states.get(room)?.detail ?? null })),
  };
}
