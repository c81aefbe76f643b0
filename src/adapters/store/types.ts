// The records ports, by what they hold: the inbox (deliveries, dedupe), the outbox (notices, digests,
// trigger calls), the branch heads, the rate-limit windows, and the run log (runs, nodes, calls). One contract per port,
// two adapters (SQLite through node:sqlite, PostgreSQL through pg); test/adapters/store runs each
// port's suite on both.
// Times are milliseconds since the epoch.

import type { Destination } from './destination.ts';
export type { Destination } from './destination.ts';

export type RunStatus = 'queued' | 'announced' | 'digested' | 'skipped' | 'recorded' | 'failed';
export type NoticeStatus = 'held' | 'pending' | 'sent' | 'failed' | 'merged';

export interface CallRecord {
  step: string; // receive | verify | dedupe | enqueue | render | matrix.send | trigger | record
  startedAt: number;
  durationMs: number;
  outcome: string; // ok | error | retry | skipped ...
  detail?: string | null;
}

export interface NewDelivery {
  deliveryId: string;
  /** The run this delivery becomes (derived from the delivery id), so its call chain is linked from the start. */
  runId: string;
  bodySha256: string;
  event: string;
  repo: string;
  body: string;
  receivedAt: number;
  calls: CallRecord[];
}

export type InsertResult = { inserted: true; seq: number } | { inserted: false; duplicateOf: string; by: 'delivery_id' | 'body' };

export interface StoredDelivery {
  seq: number;
  deliveryId: string;
  event: string;
  repo: string;
  body: string;
  receivedAt: number;
}

export interface RunRecord {
  runId: string;
  nodeId: string;
  repo: string;
  trigger: 'webhook' | 'catch-up';
  status: RunStatus;
  event: string;
  ref: string | null;
  before: string | null;
  after: string | null;
  commits: number;
  deliveryId: string;
  receivedAt: number;
  notifiedAt: number | null;
  summary: string | null;
  error: string | null;
}

export interface NewNotice {
  runId: string | null;
  deliveryId: string | null;
  repo: string;
  /** A room from matrix.rooms, or a downstream trigger. */
  dest: Destination;
  kind: 'notice' | 'digest' | 'trigger';
  status: 'held' | 'pending';
  holdUntil: number | null;
  txnId: string;
  item: string; // JSON of the NoticeItem (or of the member items for a digest)
  content: string | null; // JSON of the Matrix content (rendered when it becomes pending)
  createdAt: number;
}

export interface NoticeRow extends Omit<NewNotice, 'status'> {
  id: number;
  status: NoticeStatus;
  digestId: number | null;
  sentAt: number | null;
  attempts: number;
  firstAttemptAt: number | null;
  nextAttemptAt: number | null;
  lastError: string | null;
  eventId: string | null;
}

export interface NodeRecord {
  nodeId: string;
  repo: string;
  kind: string;
  lastRunAt: number | null;
  lastStatus: string | null;
  runs: number;
}

/** A rate-limit window of one repo and room: until when, and how many notices went out in it. */
export interface WindowRecord {
  until: number;
  count: number;
}

/** The window a digest release opens, recorded with it. `recorded` runs inside the release's
 * transaction right after (same thread only; it cannot cross to a storage thread): whoever remembers
 * windows learns of it before any later transaction decides on that room, not after the fsync. */
export interface WindowOpened {
  repo: string;
  room: string;
  window: WindowRecord;
  recorded?: () => void;
}

export interface ProcessedDelivery {
  seq: number;
  run: RunRecord;
  notices: NewNotice[];
  calls: CallRecord[];
  /** The rate-limit windows this delivery's notices opened or counted in, recorded with it. */
  windows?: Array<{ repo: string; room: string; window: WindowRecord }>;
  /** The branch head this delivery moved (sha null: the branch was deleted), for catch-up. */
  head?: { repo: string; branch: string; sha: string | null } | null;
}

/** The durable inbox: deliveries and their dedupe keys, and the processing that turns one into a run. */
export interface Inbox {
  /** Durable and atomic: a repeated delivery id or body hash is refused, never stored twice. */
  insertDelivery(d: NewDelivery): Promise<InsertResult>;
  pendingDeliveries(limit: number): Promise<StoredDelivery[]>;
  /** One transaction: run + node + notices + calls recorded, delivery marked done. Idempotent per
   * delivery; a delivery whose run already exists is marked a duplicate and records nothing. */
  commitProcessed(p: ProcessedDelivery): Promise<void>;
  /** Counts a failed processing attempt; at `maxAttempts` the delivery is parked (status `failed`,
   * never picked again) and `parkedRun` recorded, so it shows in runs. Returns whether it was parked. */
  deliveryFailed(seq: number, error: string, maxAttempts: number, parkedRun: RunRecord): Promise<boolean>;
  /** Drops the bodies of settled deliveries received before the cut-off (and the rendered text of
   * notices sent by then). Their dedupe keys (id and body hash) stay as long as their runs, so a
   * replay is always recognised. Returns bodies dropped. */
  pruneDeliveries(olderThan: number): Promise<number>;
}

/** The outbox: notices, digests and trigger calls, each sent in order per destination. */
export interface Outbox {
  /** Every destination (room or trigger) with a pending row. */
  pendingDestinations(): Promise<Destination[]>;
  /** Oldest pending row of a destination (order within one is kept). */
  headNotice(dest: Destination): Promise<NoticeRow | null>;
  /** The oldest pending rows of a destination, in order, at most `limit` (the sender sends them back to back). */
  headNotices(dest: Destination, limit: number): Promise<NoticeRow[]>;
  markAttempt(id: number, at: number, nextAttemptAt: number | null, error: string | null): Promise<void>;
  /** Sent: the call goes into each member's chain, and runs whose notices are all settled settle. */
  markSent(id: number, eventId: string, sentAt: number, calls: CallRecord[]): Promise<void>;
  markFailed(id: number, error: string, at: number): Promise<void>;
  /** Only rows for rooms are ever held (the rate limit is per repo and room). (repo, room) pairs with held notices whose window has ended, oldest first, at most `limit`.
   * With `horizonMs`, a hold ending more than that after `now` is due too (the clock went back). */
  heldGroupsDue(now: number, limit: number, horizonMs?: number): Promise<Array<{ repo: string; room: string }>>;
  /** The held notices of one repo and room, oldest first. */
  heldOf(repo: string, room: string): Promise<NoticeRow[]>;
  hasHeld(repo: string, room: string): Promise<boolean>;
  /** Turns held members into one pending digest (or a single pending notice when there is one).
   * False, and nothing changed, when a member is no longer held (merged or released meanwhile):
   * the caller reads the group again, so a digest never lists a notice announced elsewhere. */
  releaseHeld(memberIds: number[], digest: NewNotice | null, single: { id: number; content: string } | null, opens?: WindowOpened): Promise<boolean>;
  /** Pending and held rows per destination (`destKey`: the room name, or `trigger:<name>`). */
  queueDepth(): Promise<Record<string, number>>;
  /** Queues a run's failed notices (or the failed digest it is in) again; returns how many. */
  retryFailed(runId: string, now: number): Promise<number>;
  /** Held notices that another notice (by its txn id) announces instead: merged into it, settled with it. */
  mergeHeld(memberIds: number[], intoTxnId: string): Promise<void>;
  noticesOfRun(runId: string): Promise<NoticeRow[]>;
}

/** The last known head per branch (what catch-up compares with Gitea on start). */
export interface BranchHeads {
  heads(repo: string): Promise<Record<string, string>>;
  reposWithHeads(): Promise<string[]>;
  setHead(repo: string, branch: string, sha: string | null, at: number): Promise<void>;
  /** Several heads of one repository in one transaction (a catch-up's baseline: one commit, not one per ref). */
  setHeads(repo: string, heads: Array<[branch: string, sha: string | null]>, at: number): Promise<void>;
}

/** The rate-limit windows, written with what they decided (a processed delivery, a digest released),
 * so after a crash or power cut they always match the outbox. */
export interface RateWindows {
  windowOf(repo: string, room: string): Promise<WindowRecord | null>;
}

/** The run log (data_factory / call_monitor): nodes, runs and their call chains, read side. */
export interface RunLog {
  listNodes(): Promise<NodeRecord[]>;
  /** Nodes of repositories named `name` under any owner (case-insensitive), or holding one of `ids`. */
  nodesNamed(name: string, ids: string[]): Promise<Array<{ nodeId: string; repo: string }>>;
  listRuns(opts: { nodeId?: string; limit?: number; status?: string }): Promise<RunRecord[]>;
  getRun(runId: string): Promise<RunRecord | null>;
  callsOf(deliveryId: string): Promise<Array<CallRecord & { runId: string | null }>>;
}

/** All four ports over one database, plus its lifecycle. Depend on the narrowest port you need. */
export interface Store extends Inbox, Outbox, BranchHeads, RunLog, RateWindows {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  /** Resolves when the database takes a write now (an empty transaction): readiness. Reads may still
   * answer while another writer holds the lock, so they cannot tell. */
  ping(): Promise<void>;
  /** Runs fn with a store bound to one transaction: all of it commits together (one fsync). */
  batch<T>(fn: (s: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const NODE_PREFIX = 'gitea_push_';
/** The short id only; a repository's real node comes from src/records/node-id.ts (owners sharing a name). */
export function nodeIdOf(repoFullName: string): string {
  return NODE_PREFIX + (repoFullName.split('/')[1] ?? repoFullName);
}
