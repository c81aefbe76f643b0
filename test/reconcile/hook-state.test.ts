// The decision behind a repository's hook state, as a table.
import { describe, expect, it } from 'vitest';
import { hookState, type StateInput } from '../../src/reconcile/hook-state.ts';

const T = Date.parse('2026-12-01T10:00:00Z');
const MIN = 60_000;
const base: StateInput = { record: { since: T }, error: null, org: null, now: T + MIN, verifyWithinMs: 5 * MIN };

describe('hookState', () => {
  it.each<[string, Partial<StateInput>, string, RegExp]>([
    ['reconcile error wins', { error: 'cannot list the hooks of df/a: 500', record: { since: T, verifiedAt: T + 1 } }, 'error', /^cannot list the hooks/],
    ['fresh hook, nothing yet', {}, 'pending', /^hook matches; waiting for a signed delivery \(until 2026-12-01T10:05:00.000Z\)$/],
    ['verified after it was installed', { record: { since: T, verifiedAt: T + 10 } }, 'ready', /^hook matches; a signed delivery was verified at/],
    ['verified only before a re-creation', { record: { since: T, verifiedAt: T - 10 } }, 'pending', /^hook matches; waiting/],
    ['silent past verify_within', { now: T + 5 * MIN + 1 }, 'error', /no signed delivery verified within reconcile.verify_within \(5m\); reconcile asked Gitea for a test delivery/],
    ['silent org hook past verify_within', { now: T + 5 * MIN + 1, org: 'df' }, 'error', /^org hook installed .*Gitea cannot test an org hook: push to any repository of df/],
    ['failed after the last verified', { record: { since: T, verifiedAt: T + 1, failedSince: T + 2, failedAt: T + 3 } }, 'error', /^deliveries naming this repository fail signature verification \(since 2026-12-01T10:00:00.002Z, the latest at 2026-12-01T10:00:00.003Z\)/],
    ['verified after the last failure', { record: { since: T, verifiedAt: T + 4, failedSince: T + 2, failedAt: T + 3 } }, 'ready', /verified/],
    ['failures on a hook that never verified', { record: { since: T, failedAt: T + 3 } }, 'error', /fail signature verification/],
    ['no record yet (first sight)', { record: undefined }, 'pending', /waiting/],
  ])('%s', (_, over, hook, detail) => {
    const s = hookState({ ...base, ...over });
    expect(s.hook).toBe(hook);
    expect(s.detail).toMatch(detail);
  });
});
