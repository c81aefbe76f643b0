// When to try a failed Gitea call again, and after how long: a pure decision with injected
// randomness, so tests can assert the delays without waiting for them.
import type { GiteaError } from './errors.ts';

export interface BackoffPolicy {
  /** Attempts after the first one. */
  retries: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { retries: 3, baseMs: 200, maxMs: 5_000 };

export type RetryDecision = { retry: true; afterMs: number } | { retry: false };

/**
 * Exponential backoff with "equal jitter" (half fixed, half random) so a burst of failing calls
 * does not come back in lock-step. A 429's Retry-After (seconds) is honoured up to maxMs.
 * A POST that timed out or lost its connection is not repeated: Gitea may have created the hook
 * already, and a second create would make a duplicate.
 */
export function decideRetry(
  err: GiteaError,
  attempt: number,
  method: string,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterSeconds: number | null = null,
): RetryDecision {
  if (!err.retryable || attempt >= policy.retries) return { retry: false };
  if (method === 'POST' && (err.kind === 'timeout' || err.kind === 'network')) return { retry: false };
  if (retryAfterSeconds !== null && retryAfterSeconds >= 0) {
    return { retry: true, afterMs: Math.min(policy.maxMs, retryAfterSeconds * 1000) };
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return { retry: true, afterMs: Math.round(ceiling / 2 + random() * (ceiling / 2)) };
}
