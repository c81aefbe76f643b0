// Reads a request body into memory within three limits: its size (server.body_limit; a declared
// Content-Length above it is refused before reading anything), the in-flight budget shared by all
// connections (server.inflight_body_limit) and time (server.body_timeout). On any refusal reading
// stops and the caller answers with `Connection: close`, so the socket is closed after the answer.
import type { IncomingMessage } from 'node:http';
import type { BodyLease } from './budget.ts';

export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'too_large'; received: number }
  | { ok: false; reason: 'busy' | 'timeout' | 'aborted' };

export interface BodyLimits {
  limit: number;
  lease: BodyLease;
  timeoutMs: number;
  /** Each chunk as it arrives (the incremental HMAC). */
  onChunk?: (chunk: Buffer) => void;
  setTimer?: (fn: () => void, ms: number) => { clear(): void };
}

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return { clear: () => clearTimeout(t) };
};

/** The declared Content-Length, or -1 for a chunked body. */
export function declaredLength(req: IncomingMessage): number {
  const n = Number(req.headers['content-length'] ?? NaN);
  return Number.isFinite(n) ? n : -1;
}

export function readLimitedBody(req: IncomingMessage, o: BodyLimits): Promise<BodyResult> {
  if (declaredLength(req) > o.limit) {
    req.pause();
    return Promise.resolve({ ok: false, reason: 'too_large', received: 0 });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      timer.clear();
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('aborted', onAborted);
      if (!r.ok) req.pause();
      resolve(r);
    };
    const timer = (o.setTimer ?? realTimer)(() => finish({ ok: false, reason: 'timeout' }), o.timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > o.limit) return finish({ ok: false, reason: 'too_large', received: size });
      // Bytes are reserved as they arrive: a slow client holds only what it has sent.
      if (!o.lease.take(chunk.length)) return finish({ ok: false, reason: 'busy' });
      o.onChunk?.(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    const onAborted = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('aborted', onAborted);
  });
}
