// POST /webhook/gitea: decide what the headers alone can (content type, signature present), read the
// body within its limits while the HMAC runs over it, hand it to intake, map the outcome.
// 202 {accepted, delivery} only after the delivery is durably stored.
import type { IncomingMessage } from 'node:http';
import { declaredLength, readLimitedBody, type BodyResult } from './body.ts';
import type { BodyBudget } from './budget.ts';
import { errorAnswer, jsonAnswer, type Answer } from './errors.ts';
import { intake, precheck, type IntakeDeps, type IntakeOutcome } from '../pipeline/intake.ts';

export interface WebhookRouteDeps extends IntakeDeps {
  bodyLimit: () => number;
  bodyTimeoutMs: () => number;
  /** Shared by every connection (server.inflight_body_limit). */
  budget: BodyBudget;
  draining: () => boolean;
  onOutcome?: (o: IntakeOutcome | { kind: Exclude<BodyResult, { ok: true }>['reason'] | 'draining' | 'store_failed' }, event: string, ms: number) => void;
}

/** Seconds a client refused for lack of budget is told to wait (Gitea itself does not retry). */
const RETRY_AFTER_S = '5';

/** The route on node:http's own request: server.ts calls it directly, the h3 app through its event. */
export type WebhookHandler = (req: IncomingMessage) => Promise<Answer>;

/** A header as web Headers.get gives it: repeated values joined with ", ", absent as null. */
export function headerOf(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
}

export function webhookHandler(deps: WebhookRouteDeps): WebhookHandler {
  return async (req) => {
    const t0 = performance.now();
    const receivedAt = (deps.now ?? Date.now)();
    const header = (n: string) => headerOf(req, n);
    const evName = header('x-gitea-event') ?? '';
    const log = deps.logger.child({ delivery_id: header('x-gitea-delivery') ?? null, event: evName || null });
    const done = (o: Parameters<NonNullable<WebhookRouteDeps['onOutcome']>>[0]) => deps.onOutcome?.(o, evName, performance.now() - t0);
    if (deps.draining()) {
      done({ kind: 'draining' });
      log.warn('delivery refused: draining');
      return errorAnswer('draining', 'the monitor is shutting down; Gitea records this delivery as failed', { connection: 'close' });
    }
    // Refused on its headers: the body is never held in memory.
    if (declaredLength(req) > deps.bodyLimit()) {
      done({ kind: 'too_large' });
      log.warn('delivery refused', { reason: 'too_large', limit: deps.bodyLimit() });
      return refusal('too_large', deps.bodyLimit(), 0);
    }
    const pre = precheck(header, deps.runtime.get().secrets);
    if (!pre.ok) {
      done({ kind: 'rejected', deliveryId: header('x-gitea-delivery') ?? '', error: pre.error, detail: pre.detail });
      log.warn('delivery rejected', { error: pre.error, reason: pre.detail });
      return errorAnswer(pre.error, pre.detail); // node:http discards the unread body, holding none of it
    }
    const lease = deps.budget.lease();
    try {
      const limit = deps.bodyLimit();
      const timeoutMs = deps.bodyTimeoutMs();
      const body = await readLimitedBody(req, { limit, lease, timeoutMs, onChunk: pre.verifier ? (c) => pre.verifier!.update(c) : undefined });
      if (!body.ok) {
        done({ kind: body.reason });
        log.warn('delivery refused', { reason: body.reason, limit, timeout_ms: timeoutMs });
        return refusal(body.reason, limit, timeoutMs);
      }
      const readMs = performance.now() - t0;
      let outcome: IntakeOutcome;
      try {
        outcome = await intake({ header, body: body.bytes, receivedAt, readMs, signature: pre.verifier?.result() }, deps);
      } catch (e) {
        // The records database refused the write (locked, gone, down): nothing was acknowledged.
        done({ kind: 'store_failed' });
        log.error('delivery could not be stored', { error: e });
        return errorAnswer('unavailable', 'the delivery could not be stored; Gitea records it as failed', { 'retry-after': RETRY_AFTER_S });
      }
      done(outcome);
      return answer(outcome, log.child({ delivery_id: outcome.deliveryId }), t0);
    } finally {
      lease.release();
    }
  };
}

function refusal(reason: Exclude<BodyResult, { ok: true }>['reason'], limit: number, timeoutMs: number): Answer {
  const close = { connection: 'close' };
  switch (reason) {
    case 'too_large':
      return errorAnswer('too_large', `body exceeds server.body_limit (${limit} bytes)`, close);
    case 'busy':
      return errorAnswer('busy', 'too many request bodies in flight (server.inflight_body_limit); retry shortly', { ...close, 'retry-after': RETRY_AFTER_S });
    case 'timeout':
      return errorAnswer('timeout', `the body was not received within server.body_timeout (${timeoutMs} ms)`, close);
    case 'aborted':
      return errorAnswer('bad_request', 'request body aborted', close);
  }
}

function answer(outcome: IntakeOutcome, l: WebhookRouteDeps['logger'], t0: number): Answer {
  switch (outcome.kind) {
    case 'accepted':
      l.info('delivery accepted', { repo: outcome.repo, ms: Math.round((performance.now() - t0) * 100) / 100 });
      return jsonAnswer(202, { accepted: true, delivery: outcome.deliveryId });
    case 'duplicate':
      l.info('duplicate delivery', { of: outcome.of, by: outcome.by });
      return jsonAnswer(200, { duplicate: true, delivery: outcome.deliveryId, of: outcome.of });
    case 'ignored':
      l.info('delivery ignored', { reason: outcome.reason });
      return jsonAnswer(202, { ignored: outcome.reason, delivery: outcome.deliveryId });
    case 'rejected':
      l.warn('delivery rejected', { error: outcome.error, reason: outcome.detail });
      return errorAnswer(outcome.error, outcome.detail);
  }
}
