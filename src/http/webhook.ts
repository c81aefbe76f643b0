// POST /webhook/gitea: read the body within the limit, hand it to intake, map the outcome.
// 202 {accepted, delivery} only after the delivery is durably stored.
import type { H3Event } from 'h3';
import type { IncomingMessage } from 'node:http';
import { readLimitedBody } from './body.ts';
import { errorResponse, jsonResponse } from './errors.ts';
import { intake, type IntakeDeps, type IntakeOutcome } from '../pipeline/intake.ts';

export interface WebhookRouteDeps extends IntakeDeps {
  bodyLimit: () => number;
  draining: () => boolean;
  onOutcome?: (o: IntakeOutcome | { kind: 'too_large' | 'draining' | 'aborted' | 'store_failed' }, event: string, ms: number) => void;
}

export function webhookHandler(deps: WebhookRouteDeps) {
  return async (event: H3Event): Promise<Response> => {
    const t0 = performance.now();
    const receivedAt = Date.now();
    const req = event.runtime?.node?.req as IncomingMessage | undefined;
    const evName = event.req.headers.get('x-gitea-event') ?? '';
    const log = deps.logger.child({ delivery_id: event.req.headers.get('x-gitea-delivery') ?? null, event: evName || null });
    const done = (o: Parameters<NonNullable<WebhookRouteDeps['onOutcome']>>[0]) => deps.onOutcome?.(o, evName, performance.now() - t0);
    if (deps.draining()) {
      done({ kind: 'draining' });
      log.warn('delivery refused: draining');
      return errorResponse('draining', 'the monitor is shutting down; Gitea records this delivery as failed', { connection: 'close' });
    }
    if (!req) return errorResponse('internal', 'no node request');
    const body = await readLimitedBody(req, deps.bodyLimit());
    if (!body.ok) {
      done({ kind: body.reason });
      log.warn('delivery refused', { reason: body.reason, limit: deps.bodyLimit() });
      return errorResponse(body.reason === 'too_large' ? 'too_large' : 'bad_request', body.reason === 'too_large' ? `body exceeds server.body_limit (${deps.bodyLimit()} bytes)` : 'request body aborted', { connection: 'close' });
    }
    const readMs = performance.now() - t0;
    let outcome: IntakeOutcome;
    try {
      outcome = await intake({ header: (n) => event.req.headers.get(n), body: body.bytes, receivedAt, readMs }, deps);
    } catch (e) {
      // The records database refused the write (locked, gone, down): nothing was acknowledged.
      done({ kind: 'store_failed' });
      log.error('delivery could not be stored', { error: e });
      return errorResponse('unavailable', 'the delivery could not be stored; Gitea records it as failed', { 'retry-after': '5' });
    }
    done(outcome);
    const l = log.child({ delivery_id: outcome.deliveryId });
    switch (outcome.kind) {
      case 'accepted':
        l.info('delivery accepted', { repo: outcome.repo, ms: Math.round((performance.now() - t0) * 100) / 100 });
        return jsonResponse(202, { accepted: true, delivery: outcome.deliveryId });
      case 'duplicate':
        l.info('duplicate delivery', { of: outcome.of, by: outcome.by });
        return jsonResponse(200, { duplicate: true, delivery: outcome.deliveryId, of: outcome.of });
      case 'ignored':
        l.info('delivery ignored', { reason: outcome.reason });
        return jsonResponse(202, { ignored: outcome.reason, delivery: outcome.deliveryId });
      case 'rejected':
        l.warn('delivery rejected', { error: outcome.error, reason: outcome.detail });
        return errorResponse(outcome.error, outcome.detail);
    }
  };
}
