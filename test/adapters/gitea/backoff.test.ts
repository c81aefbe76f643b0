import { describe, expect, it } from 'vitest';
import { decideRetry } from '../../../src/adapters/gitea/backoff.ts';
import { GiteaError, type GiteaErrorKind } from '../../../src/adapters/gitea/errors.ts';

const policy = { retries: 3, baseMs: 200, maxMs: 1000 };
const err = (kind: GiteaErrorKind) => new GiteaError(kind, kind);

describe('decideRetry', () => {
  it.each([
    // kind, attempt, method, random, retryAfter, decision
    ['server', 0, 'GET', 0, null, { retry: true, afterMs: 100 }],
    ['server', 0, 'GET', 1, null, { retry: true, afterMs: 200 }],
    ['server', 2, 'GET', 0.5, null, { retry: true, afterMs: 600 }],
    ['server', 3, 'GET', 0.5, null, { retry: false }],
    ['network', 1, 'GET', 0, null, { retry: true, afterMs: 200 }],
    ['timeout', 0, 'DELETE', 0, null, { retry: true, afterMs: 100 }],
    ['rate-limited', 0, 'GET', 0, 3, { retry: true, afterMs: 1000 }], // Retry-After capped at maxMs
    ['rate-limited', 0, 'POST', 0, 0, { retry: true, afterMs: 0 }],
    ['server', 0, 'POST', 0, null, { retry: true, afterMs: 100 }],
    ['timeout', 0, 'POST', 0, null, { retry: false }],
    ['network', 0, 'POST', 0, null, { retry: false }],
    ['unauthorized', 0, 'GET', 0, null, { retry: false }],
    ['forbidden', 0, 'GET', 0, null, { retry: false }],
    ['not-found', 0, 'GET', 0, null, { retry: false }],
    ['invalid', 0, 'POST', 0, null, { retry: false }],
  ] as const)('%s, attempt %i, %s → %j', (kind, attempt, method, random, retryAfter, decision) => {
    expect(decideRetry(err(kind), attempt, method, policy, () => random, retryAfter)).toEqual(decision);
  });

  it('caps the exponential ceiling at maxMs', () => {
    expect(decideRetry(err('server'), 2, 'GET', { retries: 10, baseMs: 200, maxMs: 500 }, () => 1)).toEqual({ retry: true, afterMs: 500 });
  });
});
