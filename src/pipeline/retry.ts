// Pure: what to do after a failed send. Outcomes say what happens next (retry after N, re-join the
// room first, or give up) with a reason that goes into logs, metrics and the run record.
import type { SendFailure } from '../adapters/send-error.ts';

export type RetryDecision =
  | { action: 'retry'; delayMs: number; rejoin: boolean; reason: string }
  | { action: 'give_up'; reason: string };

export interface RetryInput {
  failure: SendFailure;
  /** attempts made so far, including the one that just failed (>= 1) */
  attempts: number;
  firstAttemptAt: number;
  now: number;
  giveUpAfterMs: number;
  /** true once this notice already re-joined after a 403 */
  rejoined: boolean;
  /** Whether a 403 can be cured by re-joining (a room); otherwise it is final (a trigger). Default true. */
  canRejoin?: boolean;
  random: () => number;
}

const BASE_MS = 500;
const MAX_BACKOFF_MS = 60_000;

export function backoff(attempts: number, random: () => number): number {
  const exp = Math.min(MAX_BACKOFF_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + random() * (exp / 2)); // "equal jitter": never less than half
}

export function decideRetry(i: RetryInput): RetryDecision {
  const f = i.failure;
  const elapsed = i.now - i.firstAttemptAt;
  const permanent = f.kind === 'too_large' || (f.kind === 'client' && f.status !== null && f.status !== 408);
  if (permanent) return { action: 'give_up', reason: `homeserver refused the notice: ${f.message}` };
  if (f.kind === 'forbidden' && i.canRejoin === false) return { action: 'give_up', reason: `forbidden: ${f.message}` };
  if (f.kind === 'forbidden' && i.rejoined) return { action: 'give_up', reason: `still forbidden after re-joining: ${f.message}` };
  if (elapsed >= i.giveUpAfterMs) return { action: 'give_up', reason: `not delivered within matrix.give_up_after (last error: ${f.message})` };
  if (f.kind === 'forbidden') return { action: 'retry', delayMs: 0, rejoin: true, reason: `forbidden: re-resolving the alias and re-joining (${f.message})` };
  const delay = f.kind === 'rate_limited' && f.retryAfterMs !== null ? f.retryAfterMs : backoff(i.attempts, i.random);
  const bounded = Math.max(0, Math.min(delay, i.giveUpAfterMs - elapsed));
  return { action: 'retry', delayMs: bounded, rejoin: false, reason: `${f.kind}: ${f.message}` };
}
