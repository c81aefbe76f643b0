// The Matrix side, on matrix-js-sdk's HTTP layer only (`lib/http-api`: MatrixHttpApi and its
// MatrixError with retryAfterMs). The full MatrixClient costs ~300 ms and ~40 MiB at import and
// brings a scheduler and sync we do not use; whoami, join and send are three plain endpoints.
// We keep our own per-room queue; this adapter only joins and sends, and turns the SDK's errors
// into a small domain error the retry decision understands.
import { EventEmitter } from 'node:events';
import { ClientPrefix, MatrixHttpApi, Method } from 'matrix-js-sdk/lib/http-api/index.js';
import type { Secret } from '../../secret.ts';
import { SendError } from '../send-error.ts';
import { toFailure } from './failure.ts';

export { SendError, type SendFailure } from '../send-error.ts';
export { toFailure } from './failure.ts';

export interface MatrixPort {
  whoami(): Promise<{ userId: string; deviceId: string | null }>;
  /** Resolves an alias (or passes a room id through) and joins; returns the room id. */
  joinRoom(target: string): Promise<string>;
  send(roomId: string, content: object, txnId: string): Promise<{ eventId: string }>;
  /** The room id an alias points to now (a room id passes through). */
  resolveRoom(target: string): Promise<string>;
  /** Rooms the bot is invited to, from a /sync filtered to invites (no timeline, no state, no presence). */
  pendingInvites(since: string | null): Promise<{ next: string; roomIds: string[] }>;
}

// Everything /sync could return that a bot waiting for invites does not need, filtered out.
const INVITES_ONLY = JSON.stringify({
  presence: { types: [] },
  account_data: { types: [] },
  room: { timeline: { limit: 0, types: [] }, state: { types: [] }, ephemeral: { types: [] }, account_data: { types: [] }, include_leave: false },
});

export interface MatrixPortOptions {
  homeserver: string;
  accessToken: Secret;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
}

export type HttpApi = MatrixHttpApi<{ baseUrl: string; prefix: string; onlyData: true }>;

/** One HTTP layer for one homeserver and token (no logger: the SDK would log every request). */
export function httpApi(homeserver: string, accessToken: string, opts: { timeoutMs?: number; fetchFn?: typeof fetch } = {}): HttpApi {
  return new MatrixHttpApi(new EventEmitter() as never, {
    baseUrl: homeserver.replace(/\/+$/, ''),
    prefix: ClientPrefix.V3,
    onlyData: true as const,
    accessToken,
    localTimeoutMs: opts.timeoutMs ?? 20_000,
    ...(opts.fetchFn ? { fetchFn: opts.fetchFn } : {}),
  });
}

/** Runs one request and rethrows any failure as a SendError. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new SendError(toFailure(e));
  }
}

const seg = encodeURIComponent;

export function createMatrixPort(opts: MatrixPortOptions): MatrixPort {
  const api = httpApi(opts.homeserver, opts.accessToken.reveal(), opts);
  let identity: { userId: string; deviceId: string | null } | null = null;
  return {
    async whoami() {
      if (identity) return identity;
      const who = await call(() => api.authedRequest<{ user_id: string; device_id?: string }>(Method.Get, '/account/whoami'));
      identity = { userId: who.user_id, deviceId: who.device_id ?? null };
      return identity;
    },
    async joinRoom(target) {
      const r = await call(() => api.authedRequest<{ room_id: string }>(Method.Post, `/join/${seg(target)}`, undefined, {}));
      return r.room_id;
    },
    async send(roomId, content, txnId) {
      const r = await call(() => api.authedRequest<{ event_id: string }>(Method.Put, `/rooms/${seg(roomId)}/send/m.room.message/${seg(txnId)}`, undefined, content as Record<string, unknown>));
      return { eventId: r.event_id };
    },
    async resolveRoom(target) {
      if (target.startsWith('!')) return target;
      const r = await call(() => api.authedRequest<{ room_id: string }>(Method.Get, `/directory/room/${seg(target)}`));
      return r.room_id;
    },
    async pendingInvites(since) {
      const query = { filter: INVITES_ONLY, timeout: '0', ...(since ? { since } : {}) };
      const r = await call(() => api.authedRequest<{ next_batch: string; rooms?: { invite?: Record<string, unknown> } }>(Method.Get, '/sync', query));
      return { next: r.next_batch, roomIds: Object.keys(r.rooms?.invite ?? {}) };
    },
  };
}
