// GET /sync, the parts the daemon and an encrypting client need: pending invites (rooms.invite with
// invite_state), to_device events, device_lists.changed (users sharing a room whose devices
// changed), device_one_time_keys_count and device_unused_fallback_key_types; incremental by
// `since`, long-polling up to `timeout` ms when nothing is new. Filters are accepted inline (a JSON
// object, as the spec allows) and by nothing else: the stand-in has no filter upload.
import type { H3Event } from 'h3';
import { PREFIX, authenticate, json, matrixError, readJsonObject } from './http.ts';
import type { RouteDef, RouteDeps } from './routes.ts';
import type { HomeserverState, Room, StoredEvent } from './state.ts';
import type { SandboxUser } from './types.ts';

// The state the spec recommends servers include with an invite ("stripped state").
const STRIPPED = ['m.room.create', 'm.room.name', 'm.room.avatar', 'm.room.topic', 'm.room.join_rules', 'm.room.canonical_alias', 'm.room.encryption'];
const MAX_TIMEOUT_MS = 30_000;

export interface StrippedStateEvent {
  type: string;
  state_key: string;
  sender: string;
  content: Record<string, unknown>;
}

export function strip(s: StoredEvent): StrippedStateEvent {
  return { type: s.event.type, state_key: s.event.state_key ?? '', sender: s.event.sender, content: structuredClone(s.event.content) };
}

function latestState(room: Room, type: string, stateKey = ''): StoredEvent | undefined {
  return room.events.findLast((s) => s.event.type === type && s.event.state_key === stateKey);
}

/** Rooms the user is invited to whose invite is newer than `since`, with their stripped state. */
export function invitesFor(state: HomeserverState, user: SandboxUser, since: number | undefined): Record<string, { invite_state: { events: StrippedStateEvent[] } }> {
  const out: Record<string, { invite_state: { events: StrippedStateEvent[] } }> = {};
  for (const room of state.rooms.values()) {
    if (!room.invited.has(user.userId)) continue;
    const member = latestState(room, 'm.room.member', user.userId);
    if (!member || (since !== undefined && member.pos <= since)) continue;
    const events = STRIPPED.map((t) => latestState(room, t)).filter((s) => s !== undefined).map(strip);
    out[room.id] = { invite_state: { events: [...events, strip(member)] } };
  }
  return out;
}

const INITIAL_TIMELINE = 20;

/**
 * Joined rooms with something new: on an initial sync every room with its current state and its
 * last events; after `since`, the rooms with newer events (timeline only).
 */
export function joinedFor(state: HomeserverState, user: SandboxUser, since: number | undefined, filter: SyncFilter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const room of state.rooms.values()) {
    if (!room.members.has(user.userId) || (filter.rooms && !filter.rooms.includes(room.id))) continue;
    const limit = filter.timelineLimit ?? INITIAL_TIMELINE;
    const newer = since === undefined ? room.events.slice(-limit) : room.events.filter((e) => e.pos > since).slice(-Math.max(limit, 1));
    if (since !== undefined && newer.length === 0) continue;
    const timeline = limit === 0 ? [] : newer;
    const first = timeline[0]?.pos ?? Infinity;
    const current = new Map<string, StoredEvent>();
    for (const e of room.events) if (e.event.state_key !== undefined && e.pos < first) current.set(`${e.event.type}\u0000${e.event.state_key}`, e);
    out[room.id] = {
      timeline: { events: timeline.map((e) => state.view(e, user)), limited: false, prev_batch: `n${Math.max(0, first === Infinity ? state.position : first - 1)}` },
      state: { events: since === undefined ? [...current.values()].filter((e) => !filter.stateTypes || filter.stateTypes.includes(e.event.type)).map((e) => state.view(e, user)) : [] },
      ephemeral: { events: [] },
      account_data: { events: [] },
      unread_notifications: {},
    };
  }
  return out;
}

/** The parts of a filter the stand-in honours: which rooms, and whether timelines are wanted. */
export interface SyncFilter {
  rooms?: string[];
  timelineLimit?: number;
  /** Only these state event types (an empty list: no state). */
  stateTypes?: string[];
}

function parseFilter(f: unknown): SyncFilter {
  const room = (f as { room?: { rooms?: unknown; timeline?: { limit?: unknown }; state?: { types?: unknown } } }).room;
  return {
    ...(Array.isArray(room?.state?.types) ? { stateTypes: room.state.types.filter((t): t is string => typeof t === 'string') } : {}),
    ...(Array.isArray(room?.rooms) ? { rooms: room.rooms.filter((r): r is string => typeof r === 'string') } : {}),
    ...(typeof room?.timeline?.limit === 'number' ? { timelineLimit: room.timeline.limit } : {}),
  };
}

function parseQuery(event: H3Event, filters: Map<string, unknown>): { since?: number; timeoutMs: number; filter: SyncFilter } | Response {
  const q = new URL(event.req.url).searchParams;
  const text = q.get('filter');
  let filter: SyncFilter = {};
  if (text !== null && !text.startsWith('{')) {
    if (!filters.has(text)) return matrixError(400, 'M_INVALID_PARAM', `Unknown filter ${text}`);
    filter = parseFilter(filters.get(text));
  } else if (text !== null) {
    try {
      const f: unknown = JSON.parse(text);
      if (f === null || typeof f !== 'object' || Array.isArray(f)) throw new Error('not an object');
      filter = parseFilter(f);
    } catch {
      return matrixError(400, 'M_INVALID_PARAM', 'filter is not a JSON object');
    }
  }
  const sinceText = q.get('since');
  const m = sinceText === null ? null : /^n(\d{1,12})$/.exec(sinceText);
  if (sinceText !== null && !m) return matrixError(400, 'M_INVALID_PARAM', `Invalid since token ${sinceText}`);
  const timeoutText = q.get('timeout') ?? '0';
  if (!/^\d{1,9}$/.test(timeoutText)) return matrixError(400, 'M_INVALID_PARAM', 'timeout must be a non-negative integer');
  return { ...(m ? { since: Number(m[1]) } : {}), timeoutMs: Math.min(Number(timeoutText), MAX_TIMEOUT_MS), filter };
}

export function syncRoutes({ state }: RouteDeps): RouteDef[] {
  // Whose device changes this user hears of: itself and everyone sharing a joined room.
  const peers = (user: SandboxUser) => new Set([user.userId, ...[...state.rooms.values()].filter((r) => r.members.has(user.userId)).flatMap((r) => [...r.members])]);
  const answer = (user: SandboxUser, since: number | undefined, filter: SyncFilter = {}) => {
    const invite = invitesFor(state, user, since);
    const join = joinedFor(state, user, since, filter);
    const events = state.keys.toDevice(user.userId, user.deviceId, since);
    const changed = since === undefined ? [] : state.keys.changedSince(peers(user), since);
    return {
      next_batch: `n${state.position}`,
      rooms: { join, invite, leave: {} },
      presence: { events: [] },
      account_data: { events: [] },
      to_device: { events },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: state.keys.oneTimeKeyCounts(user.userId, user.deviceId),
      device_unused_fallback_key_types: state.keys.unusedFallbackKeyTypes(user.userId, user.deviceId),
    };
  };
  const news = (b: ReturnType<typeof answer>) => Object.keys(b.rooms.invite).length + Object.keys(b.rooms.join).length + b.to_device.events.length + b.device_lists.changed.length > 0;
  return [
    {
      // POST /user/{userId}/filter: {filter_id}; only for oneself.
      method: 'POST',
      path: `${PREFIX}/user/:userId/filter`,
      handler: async (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        if (params.userId !== user.userId) return matrixError(403, 'M_FORBIDDEN', 'Cannot create filters for other users');
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const id = String(state.filters.size + 1);
        state.filters.set(id, body.value);
        return json(200, { filter_id: id });
      },
    },
    {
      method: 'GET',
      path: `${PREFIX}/user/:userId/filter/:filterId`,
      handler: (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const f = state.filters.get(params.filterId ?? '');
        return f === undefined ? matrixError(404, 'M_NOT_FOUND', 'No such filter') : json(200, f);
      },
    },
    {
      method: 'GET',
      path: `${PREFIX}/sync`,
      handler: async (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const q = parseQuery(event, state.filters);
        if (q instanceof Response) return q;
        let body = answer(user, q.since, q.filter);
        if (q.since !== undefined && q.timeoutMs > 0 && !news(body)) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(done, q.timeoutMs);
            const off = state.onStream(() => news(answer(user, q.since, q.filter)) && done());
            function done() {
              clearTimeout(t);
              off();
              resolve();
            }
          });
          body = answer(user, q.since, q.filter);
        }
        return json(200, body);
      },
    },
  ];
}
