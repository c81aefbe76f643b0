// matrix-js-sdk's HTTP layer for one homeserver and token, and the one place its errors become
// SendErrors. No logger is passed: the SDK would log every request (with its URL) at debug level.
import { EventEmitter } from 'node:events';
import { ClientPrefix, MatrixHttpApi } from 'matrix-js-sdk/lib/http-api/index.js';
import { SendError } from '../send-error.ts';
import { toFailure } from './failure.ts';
import { networkCause } from '../../net/cause.ts';

export type HttpApi = MatrixHttpApi<{ baseUrl: string; prefix: string; onlyData: true }>;

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

export function httpApi(homeserver: string, accessToken: string | undefined, opts: { timeoutMs?: number; fetchFn?: typeof fetch } = {}): HttpApi {
  return new MatrixHttpApi(new EventEmitter() as never, {
    baseUrl: homeserver.replace(/\/+$/, ''),
    prefix: ClientPrefix.V3,
    onlyData: true as const,
    ...(accessToken === undefined ? {} : { accessToken }),
    localTimeoutMs: opts.timeoutMs ?? 20_000,
    fetchFn: causeKeepingFetch(opts.fetchFn ?? globalThis.fetch),
  });
}

/** Runs one request and rethrows any failure as a SendError; one that never reached the
 * homeserver names its URL and the cause an operator can act on (ECONNREFUSED 127.0.0.1:8448). */
export async function call<T>(fn: () => Promise<T>, homeserver?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const f = toFailure(e);
    if (homeserver && f.kind === 'network' && f.status === null) f.message = `cannot reach the homeserver at ${homeserver} (matrix.homeserver): ${networkCause(e).replace(/^fetch failed: /, '')}`;
    throw new SendError(f);
  }
}
