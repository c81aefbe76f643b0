// matrix-js-sdk's errors (MatrixError with retryAfterMs, ConnectionError, timeouts) turned into the
// small domain failure the retry decision understands. Imports only the SDK's HTTP layer.
import { MatrixError, ConnectionError } from 'matrix-js-sdk/lib/http-api/index.js';
import type { SendFailure } from '../send-error.ts';

export function toFailure(e: unknown): SendFailure {
  if (e instanceof MatrixError) {
    const status = e.httpStatus ?? null;
    let retryAfterMs: number | null = null;
    try {
      retryAfterMs = e.getRetryAfterMs();
    } catch {
      retryAfterMs = null; // a malformed Retry-After: fall back to our own backoff
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
