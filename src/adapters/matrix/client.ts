// The Matrix side, on matrix-js-sdk's HTTP layer only (`lib/http-api`: MatrixHttpApi and its
// MatrixError with retryAfterMs). The full MatrixClient costs ~300 ms and ~40 MiB at import and
// brings a scheduler and sync we do not use; whoami, join and send are plain endpoints.
// We keep our own per-room queue; this adapter only joins and sends, and turns the SDK's errors
// into a small domain error the retry decision understands.
import { Method } from 'matrix-js-sdk/lib/http-api/index.js';
import type { Secret } from '../../secret.ts';
import { SendError } from '../send-error.ts';
import { call, httpApi, type HttpApi } from './http.ts';
import { fixedToken, passwordTokens, type PasswordLogin, type TokenSource } from './session.ts';

export { SendError, type SendFailure } from '../send-error.ts';
export { toFailure } from './failure.ts';

export interface MatrixPort {
  whoami(): Promise<{ userId: string; deviceId: string | null }>;
  /** Resolves an alias (or passes a room id through) and joins; returns the room id. */
  joinRoom(target: string): Promise<string>;
  send(roomId: string, content: object, txnId: string, eventType?: string): Promise<{ eventId: string }>;
  /** The room id an alias points to now (a room id passes through). */
  resolveRoom(target: string): Promise<string>;
  /** Rooms the bot is invited to, from a /sync filtered to invites (no timeline, no state, no presence). */
  pendingInvites(since: string | null): Promise<{ next: string; roomIds: string[] }>;
  /** The bot's own display name and avatar (null where unset). */
  profile(): Promise<{ displayName: string | null; avatarUrl: string | null }>;
  setProfile(field: 'displayname' | 'avatar_url', value: string): Promise<void>;
  /** The room's m.room.encryption content, or null when the room is not encrypted. */
  roomEncryption(roomId: string): Promise<Record<string, unknown> | null>;
  /** Any other authed client-server call (the crypto module's key and to-device requests). */
  raw<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: object, query?: Record<string, string>): Promise<T>;
}

export interface MatrixPortOptions {
  homeserver: string;
  /** A fixed access token, or a password login that keeps one device (see session.ts). */
  accessToken?: Secret | null;
  login?: PasswordLogin | null;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
}

// Everything /sync could return that a bot waiting for invites does not need, filtered out.
const INVITES_ONLY = JSON.stringify({
  presence: { types: [] },
  account_data: { types: [] },
  room: { timeline: { limit: 0, types: [] }, state: { types: [] }, ephemeral: { types: [] }, account_data: { types: [] }, include_leave: false },
});

const seg = encodeURIComponent;

export function createMatrixPort(opts: MatrixPortOptions): MatrixPort {
  const tokens: TokenSource = opts.login ? passwordTokens(opts.homeserver, opts.login, opts) : fixedToken(opts.accessToken ?? missing());
  let api: HttpApi | null = null;
  let identity: { userId: string; deviceId: string | null } | null = null;

  // One authed request; a token the homeserver no longer knows is renewed once (password login).
  const authed = async <T>(method: Method, path: string, query?: Record<string, string>, body?: object): Promise<T> => {
    const run = async () => {
      api ??= httpApi(opts.homeserver, await tokens.token(), opts);
      const a = api;
      return call(() => a.authedRequest<T>(method, path, query, body as Record<string, unknown> | undefined), opts.homeserver);
    };
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof SendError) || e.failure.errcode !== 'M_UNKNOWN_TOKEN') throw e;
      const renewed = await tokens.renew();
      if (renewed === null) throw e;
      api = httpApi(opts.homeserver, renewed, opts);
      identity = null;
      return run();
    }
  };

  const whoami = async () => {
    if (identity) return identity;
    const who = await authed<{ user_id: string; device_id?: string }>(Method.Get, '/account/whoami');
    identity = { userId: who.user_id, deviceId: who.device_id ?? null };
    return identity;
  };

  return {
    whoami,
    async joinRoom(target) {
      return (await authed<{ room_id: string }>(Method.Post, `/join/${seg(target)}`, undefined, {})).room_id;
    },
    async send(roomId, content, txnId, eventType = 'm.room.message') {
      const r = await authed<{ event_id: string }>(Method.Put, `/rooms/${seg(roomId)}/send/${seg(eventType)}/${seg(txnId)}`, undefined, content);
      return { eventId: r.event_id };
    },
    async resolveRoom(target) {
      if (target.startsWith('!')) return target;
      return (await authed<{ room_id: string }>(Method.Get, `/directory/room/${seg(target)}`)).room_id;
    },
    async pendingInvites(since) {
      const query = { filter: INVITES_ONLY, timeout: '0', ...(since ? { since } : {}) };
      const r = await authed<{ next_batch: string; rooms?: { invite?: Record<string, unknown> } }>(Method.Get, '/sync', query);
      return { next: r.next_batch, roomIds: Object.keys(r.rooms?.invite ?? {}) };
    },
    async profile() {
      const { userId } = await whoami();
      try {
        const p = await authed<{ displayname?: string | null; avatar_url?: string | null }>(Method.Get, `/profile/${seg(userId)}`);
        return { displayName: p.displayname ?? null, avatarUrl: p.avatar_url ?? null };
      } catch (e) {
        if (e instanceof SendError && e.failure.kind === 'not_found') return { displayName: null, avatarUrl: null };
        throw e;
      }
    },
    async setProfile(field, value) {
      const { userId } = await whoami();
      await authed(Method.Put, `/profile/${seg(userId)}/${field}`, undefined, { [field]: value });
    },
    raw: (method, path, body, query) => authed(Method[method === 'GET' ? 'Get' : method === 'POST' ? 'Post' : 'Put'], path, query, body),
    async roomEncryption(roomId) {
      try {
        return await authed<Record<string, unknown>>(Method.Get, `/rooms/${seg(roomId)}/state/m.room.encryption/`);
      } catch (e) {
        if (e instanceof SendError && e.failure.kind === 'not_found') return null;
        throw e;
      }
    },
  };
}

/** A port that forwards to whichever port is current (a reload may swap homeserver or login). */
export function delegatingPort(current: () => MatrixPort): MatrixPort {
  return {
    whoami: () => current().whoami(),
    joinRoom: (t) => current().joinRoom(t),
    send: (r, c, t, e) => current().send(r, c, t, e),
    resolveRoom: (t) => current().resolveRoom(t),
    pendingInvites: (s) => current().pendingInvites(s),
    profile: () => current().profile(),
    setProfile: (f, v) => current().setProfile(f, v),
    roomEncryption: (r) => current().roomEncryption(r),
    raw: (m, p, b, q) => current().raw(m, p, b, q),
  };
}

function missing(): never {
  throw new Error('matrix: neither access_token nor user/password is configured');
}
