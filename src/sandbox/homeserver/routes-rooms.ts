// Room endpoints: send (idempotent per txnId), /messages paging, single-event fetch.
import type { H3Event } from 'h3';
import { PREFIX, authenticate, json, matrixError, notInRoom, rawPath, readJsonObject } from './http.ts';
import { MAX_EVENT_BYTES, federationBytes } from './limits.ts';
import { formatToken, paginate, parseToken } from './paging.ts';
import type { RouteDef, RouteDeps } from './routes.ts';
import type { Room } from './state.ts';
import { txnKey } from './txns.ts';
import type { SandboxUser } from './types.ts';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 1000;

export function roomRoutes({ state, faults, txns, now }: RouteDeps): RouteDef[] {
  function joinedRoom(user: SandboxUser, roomId: string): Room | Response {
    const room = state.rooms.get(roomId);
    return room && room.members.has(user.userId) ? room : notInRoom(user.userId, roomId);
  }

  async function executeSend(event: H3Event, user: SandboxUser, params: Record<string, string>): Promise<Response> {
    // Injected 429s and errors sit where Synapse's rate limiter does: behind the txn cache.
    const fault = faults.take('PUT', rawPath(event), 'before');
    if (fault) return fault;
    const { roomId = '', eventType = '', txnId = '' } = params;
    const body = await readJsonObject(event);
    if (body instanceof Response) return body;
    const room = joinedRoom(user, roomId);
    if (room instanceof Response) return room;
    const draft = { event_id: '', room_id: room.id, sender: user.userId, type: eventType, origin_server_ts: now(), content: body.value };
    if (federationBytes(draft, state.serverName) > MAX_EVENT_BYTES) return matrixError(413, 'M_TOO_LARGE', 'event too large');
    const stored = state.append(room, { type: eventType, sender: user.userId, content: body.value }, { userId: user.userId, deviceId: user.deviceId, txnId });
    return json(200, { event_id: stored.event.event_id });
  }

  return [
    {
      method: 'PUT',
      path: `${PREFIX}/rooms/:roomId/send/:eventType/:txnId`,
      handler: async (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const path = rawPath(event);
        const { response, executed } = await txns.fetchOrExecute(txnKey(user.userId, user.deviceId, path), () =>
          executeSend(event, user, params),
        );
        // "Response lost after commit" faults only hit requests that really ran.
        return (executed && faults.take('PUT', path, 'after')) || response;
      },
    },
    {
      method: 'GET',
      path: `${PREFIX}/rooms/:roomId/messages`,
      handler: (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const room = joinedRoom(user, params.roomId ?? '');
        if (room instanceof Response) return room;
        const query = new URL(event.req.url).searchParams;
        const dir = query.get('dir');
        if (dir !== 'b' && dir !== 'f') return matrixError(400, 'M_INVALID_PARAM', 'dir must be "b" or "f"');
        const limitText = query.get('limit') ?? String(DEFAULT_LIMIT);
        if (!/^\d{1,9}$/.test(limitText)) return matrixError(400, 'M_INVALID_PARAM', 'limit must be a non-negative integer');
        const fromText = query.get('from');
        const from = fromText === null ? undefined : parseToken(fromText);
        if (fromText !== null && from === undefined) return matrixError(400, 'M_INVALID_PARAM', `Invalid from token ${fromText}`);
        const page = paginate(room.events, { dir, from, limit: Math.min(Number(limitText), MAX_LIMIT) });
        return json(200, {
          start: formatToken(page.start),
          ...(page.end === undefined ? {} : { end: formatToken(page.end) }),
          chunk: page.chunk.map((s) => state.view(s, user)),
        });
      },
    },
    {
      // GET /rooms/{roomId}/joined_members: {joined: {user id: {display_name, avatar_url}}}, members only.
      method: 'GET',
      path: `${PREFIX}/rooms/:roomId/joined_members`,
      handler: (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const room = joinedRoom(user, params.roomId ?? '');
        if (room instanceof Response) return room;
        const profile = (u: string) => state.profiles.get(u) ?? {};
        return json(200, { joined: Object.fromEntries([...room.members].map((u) => [u, { display_name: profile(u).displayname ?? null, avatar_url: profile(u).avatar_url ?? null }])) });
      },
    },
    // GET /rooms/{roomId}/state/{eventType}/{stateKey}: the content of the current state event,
    // 404 M_NOT_FOUND without one; the empty state key may be left off (`.../state/{eventType}`).
    ...[`${PREFIX}/rooms/:roomId/state/:eventType`, `${PREFIX}/rooms/:roomId/state/:eventType/:stateKey`].map(
      (path): RouteDef => ({
        method: 'GET',
        path,
        handler: (event, params) => {
          const user = authenticate(event, state);
          if (user instanceof Response) return user;
          const room = joinedRoom(user, params.roomId ?? '');
          if (room instanceof Response) return room;
          const stored = state.stateEvent(room, params.eventType ?? '', params.stateKey ?? '');
          return stored ? json(200, stored.event.content) : matrixError(404, 'M_NOT_FOUND', 'Event not found.');
        },
      }),
    ),
    {
      method: 'GET',
      path: `${PREFIX}/rooms/:roomId/event/:eventId`,
      handler: (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const room = joinedRoom(user, params.roomId ?? '');
        if (room instanceof Response) return room;
        const stored = state.findEvent(room, params.eventId ?? '');
        if (!stored) return matrixError(404, 'M_NOT_FOUND', 'Event not found.');
        return json(200, state.view(stored, user));
      },
    },
  ];
}
