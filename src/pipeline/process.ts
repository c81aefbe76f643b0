// One stored delivery -> its run, its call chain and one outbox row per room (sent now, or held for
// the next digest by the rate limit), committed in one transaction. Idempotent per delivery.
import { isCatchUp, noticeTxnId, runIdOf, triggerCallId } from './ids.ts';
import { classify } from '../events/classify.ts';
import type { EventPayload } from '../events/payloads.ts';
import type { NoticeItem } from '../events/notice-item.ts';
import { parseEvent } from './decode.ts';
import { decideAnnouncement } from './announce.ts';
import { decideThrottle } from './throttle.ts';
import { heldTagNotices, withTagGrace } from './tag-grace.ts';
import type { WindowStore } from './windows.ts';
import { renderItem } from './render-item.ts';
import { isRewind } from '../render/context.ts';
import { nodeIdFor } from '../records/node-id.ts';
import { alreadyKnown, refMove } from './ref-records.ts';
import type { Runtime, RuntimeRef } from '../runtime/runtime.ts';
import type { AnnouncedEvent } from '../config/config.ts';
import { nodeIdOf, type BranchHeads, type CallRecord, type Inbox, type NewNotice, type Outbox, type RunLog, type RunRecord, type StoredDelivery } from '../adapters/store/types.ts';
import type { SupportedEvent } from '../events/payloads.ts';
import { toRoom, toTrigger, type Destination } from '../adapters/store/destination.ts';

export interface ProcessDeps {
  runtime: RuntimeRef;
  store: Pick<Inbox, 'commitProcessed'> & Pick<BranchHeads, 'heads'> & Pick<Outbox, 'hasHeld' | 'heldOf' | 'mergeHeld'> & Pick<RunLog, 'nodesNamed'>;
  windows: WindowStore;
  now: () => number;
  /** Recorded node ids by repository (lower case), kept by the worker across deliveries. */
  nodeIds?: Map<string, string>;
}

export interface ProcessResult {
  runId: string;
  repo: string;
  status: RunRecord['status'];
  /** Destinations that got a row to send now (rooms and triggers). */
  pending: Destination[];
  holdUntil: number[];
}

export { runIdOf, noticeTxnId, digestTxnId, CATCH_UP_PREFIX, isCatchUp } from './ids.ts';

export function summarise(item: NoticeItem): string {
  const n = item.total_commits;
  const commits = `${n} commit${n === 1 ? '' : 's'}`;
  switch (item.kind) {
    case 'push': return isRewind(item) ? `${item.actor} force-pushed ${item.ref_name} to ${item.after?.slice(0, 7)}` : `${item.actor} pushed ${commits} to ${item.ref_name}`;
    case 'branch_created': return `${item.actor} created branch ${item.ref_name} (${commits})`;
    case 'branch_deleted': return `${item.actor} deleted branch ${item.ref_name}`;
    case 'tag_pushed': return `${item.actor} pushed tag ${item.ref_name}`;
    case 'tag_deleted': return `${item.actor} deleted tag ${item.ref_name}`;
    case 'release': return `${item.actor} released ${item.release?.name ?? item.ref_name}`;
    case 'test': return `test delivery (${item.ref_name})`;
    case 'created': return `${item.actor} created ${item.ref_type} ${item.ref_name}`;
    case 'catch_up': return `while the monitor was offline: ${summarise({ ...item, kind: item.change && item.change !== 'catch_up' ? item.change : 'push', actor: item.actor === 'unknown' ? 'someone' : item.actor })}`;
  }
}

/** One outbox row per downstream trigger that fires for this run (durable, retried like notices). */
function triggerRows(rt: Runtime, item: NoticeItem, d: StoredDelivery, runId: string, nodeId: string, status: RunRecord['status'], now: number): NewNotice[] {
  const event = d.event as AnnouncedEvent;
  return rt.triggers
    .filter(({ trigger, repo }) => trigger.events.includes(event) && repo(item.repo.full_name) && (status !== 'skipped' || trigger.includeIgnored))
    .map(({ trigger }) => ({
      runId, deliveryId: d.deliveryId, repo: item.repo.full_name, dest: toTrigger(trigger.name), kind: 'trigger' as const, status: 'pending' as const,
      holdUntil: null, txnId: triggerCallId(d.deliveryId, trigger.name), item: '{}', createdAt: now,
      content: JSON.stringify({
        run_id: runId, node_id: nodeId, repo: item.repo.full_name, event: d.event, ref: item.ref, before: item.before, after: item.after,
        commits: item.commits.map((c) => c.id), delivery_id: d.deliveryId, announced: status === 'queued',
      }),
    }));
}


/** The run a delivery parked after repeated processing failures shows as (failed, with the error). */
export function parkedRun(d: StoredDelivery, error: string, attempts: number): RunRecord {
  return {
    runId: runIdOf(d.deliveryId), nodeId: nodeIdOf(d.repo), repo: d.repo, trigger: isCatchUp(d.deliveryId) ? 'catch-up' : 'webhook', status: 'failed',
    event: d.event, ref: null, before: null, after: null, commits: 0, deliveryId: d.deliveryId, receivedAt: d.receivedAt, notifiedAt: null,
    summary: `processing failed ${attempts} times; parked`, error: error.slice(0, 2000),
  };
}

export async function processDelivery(d: StoredDelivery, deps: ProcessDeps): Promise<ProcessResult> {
  const rt = deps.runtime.get();
  const t0 = performance.now();
  const startedAt = deps.now();
  const parsed = parseEvent(d.event as SupportedEvent, JSON.parse(d.body));
  if (!parsed.ok) throw new Error(`stored delivery ${d.deliveryId} no longer parses: ${parsed.detail}`);
  const ev: EventPayload = parsed.value;
  const catchUp = isCatchUp(d.deliveryId);
  const classified = classify(ev);
  const item: NoticeItem = catchUp ? { ...classified, kind: 'catch_up', change: classified.kind } : classified;
  const head = refMove(classified, ev);
  const known = head ? (await deps.store.heads(item.repo.full_name))[head.branch] : undefined;
  let decision = decideAnnouncement(item, rt, ev.event === 'release' ? ev.payload.action : undefined);
  // Never announce one change twice: catch-up and live deliveries check the records.
  const knownReason = decision.status === 'queued' ? alreadyKnown(classified, catchUp, known) : null;
  if (knownReason) decision = { status: 'recorded', rooms: [], reason: knownReason };
  const runId = runIdOf(d.deliveryId);
  const notices: NewNotice[] = [];
  const holdUntil: number[] = [];
  const pendingRooms: string[] = [];
  const windowsToSet: Array<[string, { until: number; count: number }]> = [];
  // What a later render needs (a held notice becomes a digest): never the full commit messages,
  // which only the ignore markers read. A notice sent now carries its rendered content instead.
  const heldItemJson = JSON.stringify({ ...item, messages: [] } satisfies NoticeItem);
  const replaces: Array<{ room: string; ids: number[] }> = [];
  for (const room of decision.rooms) {
    const now = deps.now();
    const w = await deps.windows.get(item.repo.full_name, room);
    const heldRows = item.kind === 'release' ? await deps.store.heldOf(item.repo.full_name, room) : null;
    const tagIds = heldRows ? heldTagNotices(heldRows, item.ref_name) : [];
    const held = heldRows ? heldRows.length > tagIds.length : await deps.store.hasHeld(item.repo.full_name, room);
    let t = decideThrottle(now, w, held, rt.config.rateLimit.perRepoPerRoom, rt.config.rateLimit.windowMs);
    if (item.kind === 'tag_pushed') t = withTagGrace(t, now, rt.config.rateLimit.tagGraceMs);
    const send = t.action === 'send';
    // A release going out now replaces its tag's notice still waiting; held, both join one digest.
    if (send && tagIds.length) replaces.push({ room, ids: tagIds });
    if (t.action === 'send') (windowsToSet.push([room, t.window]), pendingRooms.push(room));
    else holdUntil.push(t.until);
    notices.push({
      runId, deliveryId: d.deliveryId, repo: item.repo.full_name, dest: toRoom(room), kind: 'notice',
      status: send ? 'pending' : 'held', holdUntil: t.action === 'send' ? null : t.until, txnId: noticeTxnId(d.deliveryId, room),
      item: send ? '{}' : heldItemJson, content: send ? JSON.stringify(renderItem(item, rt)) : null, createdAt: now,
    });
  }
  const nodeId = await nodeIdFor(deps.store, item.repo.full_name, deps.nodeIds);
  notices.push(...triggerRows(rt, item, d, runId, nodeId, decision.status, deps.now()));
  const calls: CallRecord[] = [{
    step: 'render', startedAt, durationMs: performance.now() - t0, outcome: decision.status === 'queued' ? 'ok' : decision.status,
    detail: decision.status === 'queued' ? `${pendingRooms.length} now, ${holdUntil.length} held for digest` : decision.reason,
  }];
  const run: RunRecord = {
    runId, nodeId, repo: item.repo.full_name, trigger: catchUp ? 'catch-up' : 'webhook', status: decision.status,
    event: d.event, ref: item.ref, before: item.before, after: item.after, commits: item.total_commits,
    deliveryId: d.deliveryId, receivedAt: d.receivedAt, notifiedAt: null, summary: summarise(item),
    error: null,
  };
  calls.push({ step: 'record', startedAt: deps.now(), durationMs: 0, outcome: 'ok', detail: run.status });
  // A superseded catch-up moves no ref: the live deliveries that overtook it still to come must not
  // find their head recorded as announced (they would be dropped as "already announced").
  const moved = catchUp && knownReason ? null : head;
  const windows = windowsToSet.map(([room, window]) => ({ repo: item.repo.full_name, room, window }));
  await deps.store.commitProcessed({ seq: d.seq, run, notices, calls, head: moved, windows });
  for (const r of replaces) await deps.store.mergeHeld(r.ids, noticeTxnId(d.deliveryId, r.room));
  for (const w of windows) deps.windows.set(w.repo, w.room, w.window);
  return { runId, repo: item.repo.full_name, status: run.status, pending: [...pendingRooms.map(toRoom), ...notices.filter((n) => n.kind === 'trigger').map((n) => n.dest)], holdUntil };
}
