// Password login and profiles. POST /login (m.login.password, identifier m.id.user) mints an access
// token for a new device, or for the given device_id (the spec: "If this does not correspond to a
// known client device, a new device will be created"); GET/PUT /profile/{userId}[/displayname|
// /avatar_url], where only the user may change their own profile.
import { randomBytes } from 'node:crypto';
import { PREFIX, authenticate, json, matrixError, readJsonObject } from './http.ts';
import type { RouteDef, RouteDeps } from './routes.ts';

const FIELDS = { displayname: 'displayname', avatar_url: 'avatar_url' } as const;

export function profileRoutes({ state }: RouteDeps): RouteDef[] {
  const fullId = (user: string) => (user.startsWith('@') ? user : `@${user}:${state.serverName}`);
  const field = (name: string) => (name === 'displayname' || name === 'avatar_url' ? FIELDS[name] : null);
  return [
    { method: 'GET', path: `${PREFIX}/login`, handler: () => json(200, { flows: [{ type: 'm.login.password' }] }) },
    {
      method: 'POST',
      path: `${PREFIX}/login`,
      handler: async (event) => {
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const { type, identifier, password, device_id: deviceId } = body.value as Record<string, unknown>;
        if (type !== 'm.login.password') return matrixError(400, 'M_UNKNOWN', 'Unknown login type');
        const id = identifier as { type?: unknown; user?: unknown } | undefined;
        if (id?.type !== 'm.id.user' || typeof id.user !== 'string' || typeof password !== 'string') return matrixError(400, 'M_BAD_JSON', 'identifier (m.id.user) and password are required');
        if (deviceId !== undefined && (typeof deviceId !== 'string' || deviceId === '')) return matrixError(400, 'M_INVALID_PARAM', 'device_id must be a non-empty string');
        const userId = fullId(id.user);
        if (state.passwords.get(userId) !== password) return matrixError(403, 'M_FORBIDDEN', 'Invalid username or password');
        const device = (deviceId as string | undefined) ?? randomBytes(5).toString('hex').toUpperCase();
        const token = `syt_${randomBytes(18).toString('base64url')}`;
        state.users.set(token, { token, userId, deviceId: device });
        return json(200, { user_id: userId, access_token: token, device_id: device, home_server: state.serverName });
      },
    },
    {
      method: 'GET',
      path: `${PREFIX}/profile/:userId`,
      handler: (_event, params) => {
        const p = state.profiles.get(params.userId ?? '');
        return p ? json(200, p) : matrixError(404, 'M_NOT_FOUND', 'Profile was not found');
      },
    },
    {
      method: 'GET',
      path: `${PREFIX}/profile/:userId/:field`,
      handler: (_event, params) => {
        const f = field(params.field ?? '');
        const value = f && state.profiles.get(params.userId ?? '')?.[f];
        return value === undefined || value === null ? matrixError(404, 'M_NOT_FOUND', 'Profile field was not found') : json(200, { [f!]: value });
      },
    },
    {
      method: 'PUT',
      path: `${PREFIX}/profile/:userId/:field`,
      handler: async (event, params) => {
        const user = authenticate(event, state);
        if (user instanceof Response) return user;
        const f = field(params.field ?? '');
        if (!f) return matrixError(400, 'M_INVALID_PARAM', `Unknown profile field ${params.field ?? ''}`);
        if (params.userId !== user.userId) return matrixError(403, 'M_FORBIDDEN', "Cannot set another user's profile");
        const body = await readJsonObject(event);
        if (body instanceof Response) return body;
        const value = body.value[f];
        if (typeof value !== 'string') return matrixError(400, 'M_BAD_JSON', `${f} must be a string`);
        if (f === 'avatar_url' && !/^mxc:\/\/[^/]+\/[^/]+$/.test(value)) return matrixError(400, 'M_INVALID_PARAM', 'avatar_url must be an mxc:// URI');
        state.profiles.set(user.userId, { ...state.profiles.get(user.userId), [f]: value });
        return json(200, {});
      },
    },
  ];
}
