// Account, directory and membership endpoints: versions, whoami, alias lookup, join, invite, joined_rooms.
import type { H3Event } from 'h3';
import { PREFIX, authenticate, json, matrixError, readJsonObject } from './http.ts';
import type { RouteDef, RouteDeps } from './routes.ts';
import type { Room } from './state.ts';

// What matrix-js-sdk and the daemon might check; the stand-in serves the v1.12 surface it needs.
const VERSIONS = ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11', 'v1.12'];

export function accountRoutes({ state }: RouteDeps): RouteDef[] {
  async function join(event: H3Event, target: string): Promise<Response> {
    const user = authenticate(event, state);
    if (user instanceof Response) return user;
    const body = await readJsonObject(event, true);
    if (body instanceof Response) return body;
    let room: Room | undefined;
    if (target.startsWith('#') && target.includes(':')) {
      room = state.resolve(target);
      if (!room) return matrixError(404, 'M_NOT_FOUND', `Room alias ${target} not found.`);
    } else if (target.startsWith('!')) {
      room = state.rooms.get(target);
      if (!room) return matrixError(404, 'M_NOT_FOUND', `Room ${target} not found.`);
    } else {
      return matrixError(400, 'M_INVALID_PARAM', `${target} was not legal room ID or room alias`);
    }
    const allowed = !room.inviteOnly || room.members.has(user.userId) || room.invited.has(user.userId);
    if (!allowed) return matrixError(403, 'M_FORBIDDEN', 'You are not invited to this room.');
    state.join(user.userId, room);
    return json(200, { room_id: room.id });
  }

  return [
    {
      method: 'GET',
      path: '/_matrix/client/versions',
      handler: () => json(200, { versions: VERSIONS, unstable_features: {} }),
    },
    // What a full client (matrix-js-sdk's startClient) reads before syncing: empty push rules, no capabilities.
    { method: 'GET', path: `${PREFIX}/pushrules/`, handler: () => json(200, { global: { override: [], content: [], room: [], sender: [], underride: [] } }) },
    { method: 'GET', path: `${PREFIX}/capabilities`, handler: () => json(200, { capabilities: {} }) },
    {
      method: 'GET',
      path: `${PREFIX}/account/whoami`,
      handler: (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        return json(200, { user_id: user.userId, device_id: user.deviceId, is_guest: false });
      },
    },
    {
      // The spec lists no auth for this endpoint; matrix-js-sdk sends a token anyway, which is ignored.
      method: 'GET',
      path: `${PREFIX}/directory/room/:alias`,
      handler: (_event, params) => {
        const alias = params.alias ?? '';
        if (!alias.startsWith('#') || !alias.includes(':')) return matrixError(400, 'M_INVALID_PARAM', 'Room alias invalid');
        const roomId = state.aliases.get(alias);
        if (roomId === undefined) return matrixError(404, 'M_NOT_FOUND', `Room alias ${alias} not found.`);
        return json(200, { room_id: roomId, servers: [state.serverName] });
      },
    },
    {
      method: 'POST',
      path: `${PREFIX}/join/:target`,
      handler: (event, params) => join(event, params.target ?? ''),
    },
    {
      method: 'POST',
      path: `${PREFIX}/rooms/:roomId/join`,
      handler: (event, params) => {
        const roomId = params.roomId ?? '';
        if (!roomId.startsWith('!')) return matrixError(400, 'M_INVALID_PARAM', `${roomId} is not a room ID`);
        return join(event, roomId);
      },
    },
    {
      // POST /rooms/{roomId}/invite (spec: 403 when the inviter is not in the room or the invitee
      // already is; 400 without a user_id). Power levels are not modelled: any member may invite.
      method: 'POST',
      path: `${PREFIX}/rooms/:roomId/invite`,
      handler: async (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const invitee = body.value.user_id;
        if (typeof invitee !== 'string' || !/^@[^:]+:.+$/.test(invitee)) return matrixError(400, 'M_INVALID_PARAM', 'user_id must be a user ID');
        const room = state.rooms.get(params.roomId ?? '');
        if (!room || !room.members.has(user.userId)) return matrixError(403, 'M_FORBIDDEN', `User ${user.userId} not in room ${params.roomId ?? ''}`);
        if (room.members.has(invitee)) return matrixError(403, 'M_FORBIDDEN', `${invitee} is already in the room.`);
        state.invite(invitee, room, user.userId);
        return json(200, {});
      },
    },
    {
      method: 'GET',
      path: `${PREFIX}/joined_rooms`,
      handler: (event) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const joined = [...state.rooms.values()].filter((r) => r.members.has(user.userId)).map((r) => r.id);
        return json(200, { joined_rooms: joined });
      },
    },
  ];
}
