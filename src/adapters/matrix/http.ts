// matrix-js-sdk's HTTP layer for one homeserver and token, and the one place its errors become
// SendErrors. No logger is passed: the SDK would log every request (with its URL) at debug level.
import { EventEmitter } from 'node:events';
import { ClientPrefix, MatrixHttpApi } from 'matrix-js-sdk/lib/http-api/index.js';
import { SendError } from '../send-error.ts';
import { toFailure } from './failure.ts';

export type HttpApi = MatrixHttpApi<{ baseUrl: string; prefix: string; onlyData: true }>;

export function httpApi(homeserver: string, accessToken: string | undefined, opts: { timeoutMs?: number; fetchFn?: typeof fetch } = {}): HttpApi {
  return new MatrixHttpApi(new EventEmitter() as never, {
    baseUrl: homeserver.replace(/\/+$/, ''),
    prefix: ClientPrefix.V3,
    onlyData: true as const,
    ...(accessToken === undefined ? {} : { accessToken }),
    localTimeoutMs: opts.timeoutMs ?? 20_000,
    ...(opts.fetchFn ? { fetchFn: opts.fetchFn } : {}),
  });
}

/** Runs one request and rethrows any failure as a SendError. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new SendError(toFailure(e));
  }
}
