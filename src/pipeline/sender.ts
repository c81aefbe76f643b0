// The per-room send queue: one loop per room sends that room's pending notices oldest first (order
// in a room is kept; other rooms go on). Each send carries the notice's stored txnId, so a retry —
// also one after a crash — cannot post twice. Failures go through decideRetry: wait and retry
// (429 Retry-After, backoff), re-join after a 403, or give up after matrix.give_up_after. A room
// that refuses the join holds its notices (retried with backoff) until it lets the bot in.
import { decideRetry } from './retry.ts';
import { tryJoin } from './room-join.ts';
import { encryptionGuard, type EncryptionGuard } from './encryption-guard.ts';
import { SendError, toFailure, type MatrixPort } from '../adapters/matrix/client.ts';
import type { TriggerPort } from '../adapters/triggers/client.ts';
import type { NoticeRow, Outbox } from '../adapters/store/types.ts';
import { destKey, toRoom, type Destination } from '../adapters/store/destination.ts';
import { policyFor } from './destinations.ts';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';
import type { RuntimeRef } from '../runtime/runtime.ts';
import type { Logger } from '../log.ts';

export interface SenderHooks {
  onSent?(n: NoticeRow, sentAt: number): void;
  onRetry?(n: NoticeRow, reason: string): void;
  onFailed?(n: NoticeRow, reason: string): void;
  onRoomState?(room: string, state: 'joined' | 'not_joined' | 'degraded' | 'error', detail: string | null): void;
}

export interface SenderDeps extends SenderHooks {
  store: Outbox;
  matrix: MatrixPort;
  triggers: TriggerPort;
  runtime: RuntimeRef;
  logger: Logger;
  /** Wall clock for records, monotonic clock for how long a notice has been failing (a wall-clock
   * jump must not give up early), and the retry timers. Default: the system clock. */
  clock?: Clock;
  random?: () => number;
  /** False while another replica leads: this one sends nothing. */
  active?: () => boolean;
  /** Keeps plaintext out of encrypted rooms (default: no encryption available). */
  guard?: EncryptionGuard;
}

export interface Sender {
  /** Sends what is pending for one destination (or, without one, for every destination). */
  kick(dest?: Destination): void;
  /** Resolves when no room loop is running (tests and drain). */
  idle(): Promise<void>;
  /** Stops starting new sends; waits up to `timeoutMs` for sends in flight. */
  stop(timeoutMs: number): Promise<void>;
  roomIds(): Record<string, string>;
  /** Forget resolved room ids (after a reload: aliases or the homeserver may have changed). */
  forgetRooms(): void;
  /** The bot got into the room (an invite was accepted): send its held notices now. */
  roomJoined(room: string, roomId: string): void;
}

/** Rows read from a destination's queue at once. */
const SEND_BATCH = 32;

interface Batch {
  /** The sent rows' records, committed while later rows are sent. */
  records: Promise<void>[];
}

export function createSender(deps: SenderDeps): Sender {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const random = deps.random ?? Math.random;
  const mono = () => clock.mono();
  // When this process first tried each failing notice: [monotonic, wall-clock] at that moment.
  const firstTried = new Map<number, [number, number]>();
  /** How long a notice has been failing: monotonic while this process tries it, plus the time (by
   * the stored wall-clock first attempt, never negative) before this process took it over. */
  const failingFor = (n: NoticeRow, startedMono: number, startedAt: number): number => {
    let first = firstTried.get(n.id);
    if (!first) firstTried.set(n.id, (first = [startedMono, startedAt]));
    const before = n.firstAttemptAt === null ? 0 : Math.max(0, first[1] - n.firstAttemptAt);
    return before + (mono() - first[0]);
  };
  // Keyed by destKey: one loop, one "again" flag and one timer per destination.
  const loops = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const timers = new Map<string, TimerHandle>();
  const joined = new Map<string, string>(); // room name -> room id
  const rejoined = new Set<number>();
  const guard = deps.guard ?? encryptionGuard(deps.matrix, () => null);
  const due = new Set<string>(); // rooms just joined: their head notice goes now, whatever its backoff
  let stopped = false;

  const schedule = (dest: Destination, delayMs: number) => {
    const key = destKey(dest);
    clock.clearTimeout(timers.get(key));
    timers.set(key, clock.setTimeout(() => (timers.delete(key), kick(dest)), Math.max(0, delayMs)).unref());
  };

  const resolveRoom = async (room: string): Promise<string> => {
    const id = joined.get(room);
    if (id) return id;
    const target = deps.runtime.get().config.matrix.rooms[room];
    if (!target) throw new SendError({ kind: 'client', status: null, errcode: null, retryAfterMs: null, message: `room "${room}" is no longer in matrix.rooms` });
    const r = await tryJoin(deps.matrix, target);
    if (!r.ok) {
      deps.onRoomState?.(room, r.state, r.detail);
      throw r.error;
    }
    joined.set(room, r.roomId);
    deps.onRoomState?.(room, 'joined', r.roomId);
    return r.roomId;
  };

  /** One send to the row's destination: a Matrix room, or a downstream trigger. */
  const deliver = async (n: NoticeRow): Promise<{ id: string; step: string; detail: string }> => {
    if (n.dest.kind === 'trigger') {
      const name = n.dest.trigger;
      const t = deps.runtime.get().config.triggers.find((x) => x.name === name);
      if (!t) throw new SendError({ kind: 'client', status: null, errcode: null, retryAfterMs: null, message: `trigger "${name}" is no longer in triggers` });
      const r = await deps.triggers.post(t.url, n.content ?? '{}', t.secret, n.txnId);
      return { id: `HTTP ${r.status}`, step: 'trigger', detail: `${name} answered ${r.status} after ${n.attempts + 1} attempt(s)` };
    }
    const roomId = await resolveRoom(n.dest.room);
    let content: object = JSON.parse(n.content ?? '{}');
    let type = 'm.room.message';
    try {
      // Checked before every notice: a room seen plain may be encrypted by the next one (the guard
      // itself remembers rooms seen encrypted, which stay so).
      const crypto = await guard.prepare(n.dest.room, roomId, deps.runtime.get().config.matrix.allowUnencrypted.includes(n.dest.room));
      if (crypto) (content = await crypto.encrypt(roomId, content)), (type = 'm.room.encrypted');
    } catch (e) {
      if (e instanceof SendError && e.failure.kind === 'unencrypted') deps.onRoomState?.(n.dest.room, 'degraded', e.failure.message);
      throw e;
    }
    // A retry re-encrypts, but keeps the txnId: the homeserver answers with the first event.
    const { eventId } = await deps.matrix.send(roomId, content, n.txnId, type);
    return { id: eventId, step: 'matrix.send', detail: `${n.kind} ${eventId} in ${roomId} after ${n.attempts + 1} attempt(s)` };
  };

  const attempt = async (n: NoticeRow, batch: Batch): Promise<boolean> => {
    const log = deps.logger.child({ delivery_id: n.deliveryId, run_id: n.runId, notice_id: n.id, dest: destKey(n.dest) });
    const startedAt = now();
    const t0 = performance.now();
    const m0 = mono();
    try {
      const r = await deliver(n);
      const sentAt = now();
      // Recorded while the next notice goes out (one group commit for several); the batch waits for
      // its records before the queue is read again. A record that fails leaves the row pending: it is
      // sent again with the same txnId, which the homeserver answers with the first event.
      const record = deps.store.markSent(n.id, r.id, sentAt, [{ step: r.step, startedAt, durationMs: performance.now() - t0, outcome: 'ok', detail: r.detail }]).then(() => {
        rejoined.delete(n.id);
        firstTried.delete(n.id);
        log.info(n.kind === 'trigger' ? 'trigger called' : 'notice sent', { kind: n.kind, result: r.id, attempts: n.attempts + 1 });
        deps.onSent?.(n, sentAt);
      });
      // Handled now (a failure while the next send is awaited must not be an unhandled rejection,
      // which ends the process); the batch still sees it when it waits for its records.
      record.catch(() => undefined);
      batch.records.push(record);
      return true;
    } catch (e) {
      const failure = e instanceof SendError ? e.failure : toFailure(e);
      const at = now();
      const policy = policyFor(n.dest, deps.runtime.get().config);
      const d = decideRetry({ failure, attempts: n.attempts + 1, firstAttemptAt: at - failingFor(n, m0, startedAt), now: at, giveUpAfterMs: policy.giveUpAfterMs, canRejoin: policy.canRejoin, rejoined: rejoined.has(n.id), random });
      if (d.action === 'give_up') {
        await deps.store.markFailed(n.id, d.reason, at);
        rejoined.delete(n.id);
        firstTried.delete(n.id);
        log.error('notice failed, giving up', { reason: d.reason });
        deps.onFailed?.(n, d.reason);
        return true; // the queue moves on
      }
      if (d.rejoin && n.dest.kind === 'room') (joined.delete(n.dest.room), rejoined.add(n.id));
      await deps.store.markAttempt(n.id, at, at + d.delayMs, d.reason);
      log.warn('notice send failed, will retry', { reason: d.reason, retry_in_ms: d.delayMs, attempts: n.attempts + 1 });
      deps.onRetry?.(n, d.reason);
      schedule(n.dest, d.delayMs);
      return false;
    }
  };

  /** Sends a destination's pending rows in order, a batch at a time: one queue read per batch,
   * each send as soon as the one before it is answered. */
  const drain = async (dest: Destination) => {
    const policy = policyFor(dest, deps.runtime.get().config);
    while (!stopped && deps.active?.() !== false) {
      const rows = await deps.store.headNotices(dest, SEND_BATCH);
      if (!rows.length) return;
      const batch: Batch = { records: [] };
      try {
        for (const n of rows) {
          if (stopped || deps.active?.() === false) return;
          // Bounded: after the clock went back, a stored next attempt would otherwise wait the jump too.
          const wait = Math.min((n.nextAttemptAt ?? 0) - now(), policy.giveUpAfterMs);
          if (wait > 0 && !due.has(destKey(dest))) return schedule(dest, wait);
          due.delete(destKey(dest));
          if (!(await attempt(n, batch))) return;
        }
      } finally {
        await Promise.all(batch.records);
      }
    }
  };

  const run = (dest: Destination) => {
    const key = destKey(dest);
    const p = (async () => {
      do {
        again.delete(key);
        try {
          await drain(dest);
        } catch (e) {
          deps.logger.error('send loop error', { dest: key, error: e });
          schedule(dest, 1000);
        }
      } while (again.has(key) && !stopped);
    })().finally(() => {
      loops.delete(key);
      // A kick between the loop's last check and here would otherwise wait for the safety tick.
      if (again.has(key) && !stopped) run(dest);
    });
    loops.set(key, p);
  };

  /** Every destination with pending rows; a store error is logged (the safety tick tries again). */
  async function kickAll(): Promise<void> {
    try {
      for (const d of await deps.store.pendingDestinations()) kick(d);
    } catch (e) {
      deps.logger.warn('cannot list destinations with pending notices', { error: e });
    }
  }

  function kick(dest?: Destination): void {
    if (stopped || deps.active?.() === false) return;
    if (dest === undefined) {
      void kickAll();
      return;
    }
    if (loops.has(destKey(dest))) again.add(destKey(dest));
    else run(dest);
  }

  return {
    kick,
    async idle() {
      while (loops.size) await Promise.all([...loops.values()]);
    },
    async stop(timeoutMs) {
      stopped = true;
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
      await Promise.race([Promise.all([...loops.values()]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    },
    roomIds: () => Object.fromEntries(joined),
    forgetRooms: () => joined.clear(),
    roomJoined(room, roomId) {
      joined.set(room, roomId);
      due.add(destKey(toRoom(room)));
      kick(toRoom(room));
    },
  };
}
