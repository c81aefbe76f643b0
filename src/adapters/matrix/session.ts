// Password login that mints ONE device and keeps it: the session (user, device id, token) is stored
// (under the state store) and re-used across restarts, so txnId dedupe (scoped per device) and the
// device's keys survive; a rejected token logs in again with the same device_id.
import { Method } from 'matrix-js-sdk/lib/http-api/index.js';
import type { Secret } from '../../secret.ts';
import { call, httpApi } from './http.ts';

export interface MatrixSession {
  homeserver: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

export interface SessionStore {
  load(): Promise<MatrixSession | null>;
  save(s: MatrixSession): Promise<void>;
}

export interface PasswordLogin {
  /** `@bot:server` or the localpart. */
  user: string;
  password: Secret;
  sessions: SessionStore;
}

export interface TokenSource {
  token(): Promise<string>;
  /** A new token after the current one was rejected (null: nothing to renew, e.g. a fixed token). */
  renew(): Promise<string | null>;
}

const DEVICE_NAME = 'gitea-releases-monitor';

/** Whether a stored session belongs to the configured user (full id, or localpart only). */
export function sameUser(configured: string, userId: string): boolean {
  return configured.startsWith('@') ? configured === userId : userId.slice(1).split(':')[0] === configured;
}

export function passwordTokens(homeserver: string, login: PasswordLogin, opts: { timeoutMs?: number; fetchFn?: typeof fetch } = {}): TokenSource {
  let current: MatrixSession | null = null;
  const logIn = async (deviceId: string | null): Promise<MatrixSession> => {
    const api = httpApi(homeserver, undefined, opts);
    const body = {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: login.user },
      password: login.password.reveal(),
      ...(deviceId ? { device_id: deviceId } : { initial_device_display_name: DEVICE_NAME }),
    };
    const r = await call(() => api.request<{ user_id: string; device_id: string; access_token: string }>(Method.Post, '/login', undefined, body), homeserver);
    const s = { homeserver, userId: r.user_id, deviceId: r.device_id, accessToken: r.access_token };
    await login.sessions.save(s);
    return s;
  };
  return {
    async token() {
      if (!current) {
        const stored = await login.sessions.load();
        current = stored && stored.homeserver === homeserver && sameUser(login.user, stored.userId) ? stored : await logIn(null);
      }
      return current.accessToken;
    },
    async renew() {
      current = await logIn(current?.deviceId ?? null);
      return current.accessToken;
    },
  };
}

export function fixedToken(token: Secret): TokenSource {
  return { token: async () => token.reveal(), renew: async () => null };
}

/** Sessions kept in the state store (fs under the data folder, or Redis shared by the replicas). */
export function storedSessions(storage: { getItem(key: string): Promise<unknown>; setItem(key: string, value: string): Promise<void> }, key = 'matrix:session'): SessionStore {
  return {
    async load() {
      const v = await storage.getItem(key);
      const s = (typeof v === 'string' ? JSON.parse(v) : v) as Partial<MatrixSession> | null;
      return s && typeof s.accessToken === 'string' && typeof s.deviceId === 'string' && typeof s.userId === 'string' && typeof s.homeserver === 'string' ? (s as MatrixSession) : null;
    },
    save: (s) => storage.setItem(key, JSON.stringify(s)),
  };
}
