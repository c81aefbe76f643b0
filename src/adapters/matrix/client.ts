// The Matrix side: matrix-js-sdk's MatrixClient without the shared scheduler (its one global
// "message" queue lets one room's failure reject every other room's sends) and without sync.
// We keep our own per-room queue; this adapter only resolves, joins and sends, and turns the SDK's
// errors into a small domain error the retry decision understands.
import { MatrixClient, MatrixError, ConnectionError } from 'matrix-js-sdk';
import type { Secret } from '../../secret.ts';

import { SendError, type SendFailure } from '../send-error.ts';
import { networkCause } from '../../net/cause.ts';

export { SendError, type SendFailure } from '../send-error.ts';

export interface MatrixPort {
  whoami(): Promise<{ userId: string; deviceId: string | null }>;
  /** Resolves an alias (or passes a room id through) and joins; returns the room id. */
  joinRoom(target: string): Promise<string>;
  send(roomId: string, content: object, txnId: string): Promise<{ eventId: string }>;
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, getChild() { return quiet; } };

export function toFailure(e: unknown): SendFailure {
  if (e instanceof MatrixError) {
    const status = e.httpStatus ?? null;
    let retryAfterMs: number | null = null;
    try {
      retryAfterMs = e.getRetryAfterMs();
    } catch {
      retryAfterMs = null;
    }
    const kind: SendFailure['kind'] =
      status === 429 || e.errcode === 'M_LIMIT_EXCEEDED' ? 'rate_limited'
      : status === 403 ? 'forbidden'
      : status === 404 ? 'not_found'
      : status === 401 ? 'unauthorized'
      : status === 413 || e.errcode === 'M_TOO_LARGE' ? 'too_large'
      : status !== null && status >= 500 ? 'server'
      : 'client';
    return { kind, status, errcode: e.errcode ?? null, retryAfterMs, message: `${status ?? ''} ${e.errcode ?? ''} ${e.data?.error ?? e.message}`.trim() };
  }
  const err = e as { httpStatus?: number; message?: string; name?: string };
  if (e instanceof ConnectionError || err?.name === 'ConnectionError' || err?.name === 'AbortError' || err?.name === 'TimeoutError') {
    return { kind: 'network', status: null, errcode: null, retryAfterMs: null, message: `connection failed: ${err.message ?? String(e)}` };
  }
  if (typeof err?.httpStatus === 'number') {
    const s = err.httpStatus;
    return { kind: s >= 500 ? 'server' : s === 429 ? 'rate_limited' : 'client', status: s, errcode: null, retryAfterMs: null, message: `${s} ${err.message ?? ''}`.trim() };
  }
  return { kind: 'network', status: null, errcode: null, retryAfterMs: null, message: String(err?.message ?? e) };
}

/** The SDK keeps only its cause's message ("fetch failed"): put the real cause (ECONNREFUSED host:port) there. */
function causeKeepingFetch(f: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      return await f(input, init);
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new TypeError(networkCause(e), { cause: e });
    }
  };
}

export function createMatrixPort(opts: { homeserver: string; accessToken: Secret; timeoutMs?: number; fetchFn?: typeof fetch }): MatrixPort {
  let client: MatrixClient | null = null;
  let identity: { userId: string; deviceId: string | null } | null = null;
  const base = () =>
    new MatrixClient({
      baseUrl: opts.homeserver.replace(/\/+$/, ''),
      accessToken: opts.accessToken.reveal(),
      localTimeoutMs: opts.timeoutMs ?? 20_000,
      logger: quiet as never,
      fetchFn: causeKeepingFetch(opts.fetchFn ?? globalThis.fetch),
      ...(identity ? { userId: identity.userId, deviceId: identity.deviceId ?? undefined } : {}),
    });
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      const f = toFailure(e);
      // Name the URL and the cause an operator can act on (ECONNREFUSED 127.0.0.1:8448), not "fetch failed".
      if (f.kind === 'network' && f.status === null) f.message = `cannot reach the homeserver at ${opts.homeserver} (matrix.homeserver): ${networkCause(e).replace(/^fetch failed: /, '')}`;
      throw new SendError(f);
    }
  };
  const ready = async (): Promise<MatrixClient> => {
    if (client && identity) return client;
    const probe = base();
    const who = await wrap(() => probe.whoami());
    identity = { userId: who.user_id, deviceId: who.device_id ?? null };
    client = base();
    return client;
  };
  return {
    async whoami() {
      await ready();
      return identity!;
    },
    async joinRoom(target) {
      const c = await ready();
      const room = await wrap(() => c.joinRoom(target));
      return room.roomId;
    },
    async send(roomId, content, txnId) {
      const c = await ready();
      const r = await wrap(() => c.sendEvent(roomId, 'm.room.message' as never, content as never, txnId));
      return { eventId: r.event_id };
    },
  };
}
