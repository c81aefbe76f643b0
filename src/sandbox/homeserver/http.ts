// Matrix-shaped HTTP answers and request parsing shared by the routes.
import type { H3Event } from 'h3';
import type { HomeserverState } from './state.ts';
import type { SandboxUser } from './types.ts';

export const PREFIX = '/_matrix/client/v3';

/** Every JSON answer carries exactly this type: matrix-js-sdk only builds a MatrixError from it. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** The standard error body: both `errcode` and `error` are required. */
export function matrixError(
  status: number,
  errcode: string,
  error: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return json(status, { errcode, error, ...extra }, headers);
}

export function unrecognized(status: 404 | 405): Response {
  return matrixError(status, 'M_UNRECOGNIZED', 'Unrecognized request');
}

/** The path exactly as sent; h3 has already decoded parts of `event.url`. Txn keys use this form. */
export function rawPath(event: H3Event): string {
  return new URL(event.req.url).pathname;
}

/**
 * Decodes the segments named `:x` in `pattern` from the raw path, once each. h3's own params are
 * partly decoded already, and decoding them again would turn `%2523` into `#`.
 */
export function pathParams(event: H3Event, pattern: string): Record<string, string> | Response {
  const want = pattern.split('/');
  const got = rawPath(event).split('/');
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (!part.startsWith(':')) continue;
    try {
      params[part.slice(1)] = decodeURIComponent(got[i] ?? '');
    } catch {
      return matrixError(400, 'M_INVALID_PARAM', `Malformed path segment ${got[i] ?? ''}`);
    }
  }
  return params;
}

/**
 * Bearer header only: the spec drops `?access_token=` (v1.20), and refusing it keeps a client that
 * leaks tokens into URLs from passing its tests.
 */
export function authenticate(event: H3Event, state: HomeserverState): SandboxUser | Response {
  const header = event.req.headers.get('authorization');
  if (header === null) return matrixError(401, 'M_MISSING_TOKEN', 'Missing access token');
  const m = /^Bearer (\S+)$/.exec(header);
  if (!m?.[1]) return matrixError(401, 'M_MISSING_TOKEN', 'Invalid Authorization header.');
  const user = state.users.get(m[1]);
  if (!user) return matrixError(401, 'M_UNKNOWN_TOKEN', 'Unrecognised access token.', { soft_logout: false });
  return user;
}

export interface JsonObjectBody {
  value: Record<string, unknown>;
  bytes: number;
}

/** Parses a JSON object body; `allowEmpty` mirrors Synapse for endpoints whose body may be absent. */
export async function readJsonObject(event: H3Event, allowEmpty = false): Promise<JsonObjectBody | Response> {
  const text = await event.req.text();
  const bytes = Buffer.byteLength(text, 'utf8');
  if (text.trim() === '' && allowEmpty) return { value: {}, bytes };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return matrixError(400, 'M_NOT_JSON', 'Content not JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return matrixError(400, 'M_BAD_JSON', 'Content must be a JSON object.');
  }
  return { value: value as Record<string, unknown>, bytes };
}

export function notInRoom(userId: string, roomId: string): Response {
  return matrixError(403, 'M_FORBIDDEN', `User ${userId} not in room ${roomId}`);
}
