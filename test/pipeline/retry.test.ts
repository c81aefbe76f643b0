import { describe, expect, it } from 'vitest';
import { backoff, decideRetry } from '../../src/pipeline/retry.ts';
import type { SendFailure } from '../../src/adapters/send-error.ts';

const f = (kind: SendFailure['kind'], extra: Partial<SendFailure> = {}): SendFailure => ({ kind, status: null, errcode: null, retryAfterMs: null, message: kind, ...extra });
const base = { attempts: 1, firstAttemptAt: 0, now: 1000, giveUpAfterMs: 3_600_000, rejoined: false, random: () => 0.5 };

describe('decideRetry', () => {
  it('429 waits exactly what the homeserver asked', () => {
    expect(decideRetry({ ...base, failure: f('rate_limited', { status: 429, retryAfterMs: 2000 }) })).toMatchObject({ action: 'retry', delayMs: 2000, rejoin: false });
  });
  it('429 without a hint backs off', () => {
    expect(decideRetry({ ...base, attempts: 3, failure: f('rate_limited', { status: 429 }) })).toMatchObject({ action: 'retry', delayMs: backoff(3, () => 0.5) });
  });
  it('5xx and network errors back off exponentially with jitter, capped', () => {
    const d = (n: number, r: number) => (decideRetry({ ...base, attempts: n, random: () => r, failure: f('server', { status: 502 }) }) as { delayMs: number }).delayMs;
    expect(d(1, 0)).toBe(250);
    expect(d(1, 1)).toBe(500);
    expect(d(4, 1)).toBe(4000);
    expect(d(30, 1)).toBe(60_000);
    expect(decideRetry({ ...base, failure: f('network') })).toMatchObject({ action: 'retry' });
  });
  it('403 re-joins once, then gives up', () => {
    expect(decideRetry({ ...base, failure: f('forbidden', { status: 403 }) })).toMatchObject({ action: 'retry', rejoin: true, delayMs: 0 });
    expect(decideRetry({ ...base, rejoined: true, failure: f('forbidden', { status: 403 }) })).toMatchObject({ action: 'give_up' });
  });
  it('a room that refuses the join holds the notice with backoff (also after a re-join), until give_up_after', () => {
    const refused = f('not_joined', { status: 403 });
    expect(decideRetry({ ...base, attempts: 4, failure: refused })).toMatchObject({ action: 'retry', rejoin: false, delayMs: backoff(4, () => 0.5) });
    expect(decideRetry({ ...base, attempts: 9, rejoined: true, failure: refused })).toMatchObject({ action: 'retry' });
    expect(decideRetry({ ...base, now: 3_600_000, failure: refused })).toMatchObject({ action: 'give_up' });
  });

  it('403 where there is nothing to re-join (a trigger) gives up at once', () => {
    expect(decideRetry({ ...base, canRejoin: false, failure: f('forbidden', { status: 403 }) })).toMatchObject({ action: 'give_up', reason: expect.stringMatching(/^forbidden/) });
  });
  it('gives up after give_up_after, and on permanent refusals', () => {
    expect(decideRetry({ ...base, now: 3_600_000, failure: f('server', { status: 500 }) })).toMatchObject({ action: 'give_up' });
    expect(decideRetry({ ...base, failure: f('too_large', { status: 413 }) })).toMatchObject({ action: 'give_up' });
    expect(decideRetry({ ...base, failure: f('client', { status: 400 }) })).toMatchObject({ action: 'give_up' });
  });
  it('never waits past the give-up time', () => {
    expect(decideRetry({ ...base, now: 3_599_000, failure: f('rate_limited', { retryAfterMs: 60_000 }) })).toMatchObject({ action: 'retry', delayMs: 1000 });
  });
});
