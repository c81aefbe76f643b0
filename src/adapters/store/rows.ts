// Row <-> record mapping shared by the SQLite and PostgreSQL adapters (column names are the same).
import type { NodeRecord, NoticeRow, RunRecord, CallRecord } from './types.ts';
import { destFromColumns } from './destination.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toRun(r: Row): RunRecord {
  return {
    runId: String(r.run_id),
    nodeId: String(r.node_id),
    repo: String(r.repo),
    trigger: r.trigger as RunRecord['trigger'],
    status: r.status as RunRecord['status'],
    event: String(r.event),
    ref: str(r.ref),
    before: str(r.before_sha),
    after: str(r.after_sha),
    commits: Number(r.commits),
    deliveryId: String(r.delivery_id),
    receivedAt: Number(r.received_at),
    notifiedAt: num(r.notified_at),
    summary: str(r.summary),
    error: str(r.error),
  };
}

export function runParams(r: RunRecord): unknown[] {
  return [r.runId, r.nodeId, r.repo, r.trigger, r.status, r.event, r.ref, r.before, r.after, r.commits, r.deliveryId, r.receivedAt, r.notifiedAt, r.summary, r.error];
}
export const RUN_COLUMNS = 'run_id, node_id, repo, trigger, status, event, ref, before_sha, after_sha, commits, delivery_id, received_at, notified_at, summary, error';

export function toNotice(r: Row): NoticeRow {
  return {
    id: Number(r.id),
    runId: str(r.run_id),
    deliveryId: str(r.delivery_id),
    repo: String(r.repo),
    dest: destFromColumns(r.dest_kind, r.room),
    kind: r.kind as NoticeRow['kind'],
    status: r.status as NoticeRow['status'],
    holdUntil: num(r.hold_until),
    digestId: num(r.digest_id),
    txnId: String(r.txn_id),
    item: String(r.item),
    content: str(r.content),
    createdAt: Number(r.created_at),
    sentAt: num(r.sent_at),
    attempts: Number(r.attempts),
    firstAttemptAt: num(r.first_attempt_at),
    nextAttemptAt: num(r.next_attempt_at),
    lastError: str(r.last_error),
    eventId: str(r.event_id),
  };
}
export const NOTICE_INSERT_COLUMNS = 'run_id, delivery_id, repo, dest_kind, room, kind, status, hold_until, txn_id, item, content, created_at';

export function toNode(r: Row): NodeRecord {
  return { nodeId: String(r.node_id), repo: String(r.repo), kind: String(r.kind), lastRunAt: num(r.last_run_at), lastStatus: str(r.last_status), runs: Number(r.runs ?? 0) };
}

export function toCall(r: Row): CallRecord & { runId: string | null } {
  return { step: String(r.step), startedAt: Number(r.started_at), durationMs: Number(r.duration_ms), outcome: String(r.outcome), detail: str(r.detail), runId: str(r.run_id) };
}
