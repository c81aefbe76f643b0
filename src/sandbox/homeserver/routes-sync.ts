// GET /sync, the parts the daemon and an encrypting client need: pending invites (rooms.invite with
// invite_state), to_device events, device_lists.changed (users sharing a room whose devices
// changed), device_one_time_keys_count and device_unused_fallback_key_types; incremental by
// `since`, long-polling up to `timeout` ms when nothing is new. Filters are accepted inline (a JSON
// object, as the spec allows) and by nothing else: the stand-in has no filter upload.
import type { H3Event } from 'h3';
import { PREFIX, authenticate, json, matrixError } from './http.ts';
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

function parseQuery(event: H3Event): { since?: number; timeoutMs: number } | Response {
  const q = new URL(event.req.url).searchParams;
  const filter = q.get('filter');
  if (filter !== null) {
    if (!filter.startsWith('{')) return matrixError(400, 'M_INVALID_PARAM', `Unknown filter ${filter}`);
    try {
      const f: unknown = JSON.parse(filter);
      if (f === null || typeof f !== 'object' || Array.isArray(f)) throw new Error('not an object');
    } catch {
      return matrixError(400, 'M_INVALID_PARAM', 'filter is not a JSON object');
    }
  }
  const sinceText = q.get('since');
  const m = sinceText === null ? null : /^n(\d{1,12})$/.exec(sinceText);
  if (sinceText !== null && !m) return matrixError(400, 'M_INVALID_PARAM', `Invalid since token ${sinceText}`);
  const timeoutText = q.get('timeout') ?? '0';
  if (!/^\d{1,9}$/.test(timeoutText)) return matrixError(400, 'M_INVALID_PARAM', 'timeout must be a non-negative integer');
  return { ...(m ? { since: Number(m[1]) } : {}), timeoutMs: Math.min(Number(timeoutText), MAX_TIMEOUT_MS) };
}

export function syncRoutes({ state }: RouteDeps): RouteDef[] {
  // Whose device changes this user hears of: itself and everyone sharing a joined room.
  const peers = (user: SandboxUser) => new Set([user.userId, ...[...state.rooms.values()].filter((r) => r.members.has(user.userId)).flatMap((r) => [...r.members])]);
  const answer = (user: SandboxUser, since: number | undefined) => {
    const invite = invitesFor(state, user, since);
    const events = state.keys.toDevice(user.userId, user.deviceId, since);
    const changed = since === undefined ? [] : state.keys.changedSince(peers(user), since);
    return {
      next_batch: `n${state.position}`,
      rooms: { join: {}, invite, leave: {} },
      presence: { events: [] },
      account_data: { events: [] },
      to_device: { events },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: state.keys.oneTimeKeyCounts(user.userId, user.deviceId),
      device_unused_fallback_key_types: state.keys.unusedFallbackKeyTypes(user.userId, user.deviceId),
    };
  };
  const news = (b: ReturnType<typeof answer>) => Object.keys(b.rooms.invite).length + b.to_device.events.length + b.device_lists.changed.length > 0;
  return [
    {
      method: 'GET',
      path: `${PREFIX}/sync`,
      handler: async (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const q = parseQuery(event);
        if (q instanceof Response) return q;
        let body = answer(user, q.since);
        if (q.since !== undefined && q.timeoutMs > 0 && !news(body)) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(done, q.timeoutMs);
            const off = state.onStream(() => news(answer(user, q.since)) && done());
            function done() {
              clearTimeout(t);
              off();
              resolve();
            }
          });
          body = answer(user, q.since);
        }
        return json(200, body);
      },
    },
  ];
}
