// Each kind of destination has its own give-up policy: a room follows matrix.give_up_after and may
// re-join after a 403; a trigger retries for 24 h and a 403 is final.
import { expect, it } from 'vitest';
import { policyFor, TRIGGER_GIVE_UP_MS } from '../../src/pipeline/destinations.ts';
import { toRoom, toTrigger } from '../../src/adapters/store/destination.ts';
import { decideRetry } from '../../src/pipeline/retry.ts';
import { kitRuntime } from './pipeline-kit.ts';

it('a room follows matrix.give_up_after; a trigger keeps trying for 24 h', async () => {
  const config = (await kitRuntime('')).get().config;
  expect(policyFor(toRoom('news'), config)).toEqual({ giveUpAfterMs: config.matrix.giveUpAfterMs, canRejoin: true });
  expect(policyFor(toTrigger('ci'), config)).toEqual({ giveUpAfterMs: TRIGGER_GIVE_UP_MS, canRejoin: false });
  // Two hours of 502s: the room's notice gives up (1 h), the trigger call is retried.
  const failing = { failure: { kind: 'server' as const, status: 502, errcode: null, retryAfterMs: null, message: 'bad gateway' }, attempts: 9, firstAttemptAt: 0, now: 2 * 3_600_000, rejoined: false, random: () => 0 };
  expect(decideRetry({ ...failing, ...policyFor(toRoom('news'), config) })).toMatchObject({ action: 'give_up' });
  expect(decideRetry({ ...failing, ...policyFor(toTrigger('ci'), config) })).toMatchObject({ action: 'retry' });
});
