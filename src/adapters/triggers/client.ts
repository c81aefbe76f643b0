// Downstream triggers (e.g. a DAG engine): POST the run as JSON, signed with
// `X-Monitor-Signature: sha256=<hex HMAC of the body>`. Failures come back as the same SendFailure
// the Matrix side uses, so one retry decision serves both.
import { createHmac } from 'node:crypto';
import { SendError, type SendFailure } from '../send-error.ts';
import type { Secret } from '../../secret.ts';

export interface TriggerPort {
  post(url: string, body: string, secret: Secret, idempotencyKey: string): Promise<{ status: number }>;
}

function retryAfterMs(h: string | null): number | null {
  if (!h) return null;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function createTriggerPort(opts: { fetch?: typeof fetch; timeoutMs?: number } = {}): TriggerPort {
  const f = opts.fetch ?? fetch;
  return {
    async post(url, body, secret, key) {
      let res: Response;
      try {
        res = await f(url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'gitea-releases-monitor',
            'x-monitor-signature': 'sha256=' + createHmac('sha256', secret.reveal()).update(body).digest('hex'),
            'x-monitor-delivery': key,
          },
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new SendError({ kind: 'network', status: null, errcode: null, retryAfterMs: null, message: `trigger ${new URL(url).host}: ${(e as Error).message}` });
      }
      await res.body?.cancel();
      if (res.ok) return { status: res.status };
      const s = res.status;
      const failure: SendFailure = {
        kind: s === 429 ? 'rate_limited' : s >= 500 ? 'server' : s === 408 ? 'network' : 'client',
        status: s,
        errcode: null,
        retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
        message: `trigger ${new URL(url).host} answered ${s}`,
      };
      throw new SendError(failure);
    },
  };
}
