// The hook status behind /webhook/health, on a shared storage: passes recorded by the leader,
// deliveries (verified or not) by any replica; every replica lists the same states.
import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { GiteaError } from '../../src/adapters/gitea/errors.ts';
import { reconcileOnce } from '../../src/reconcile/run.ts';
import { createHookStatus, type HookStatusOptions } from '../../src/reconcile/status.ts';
import { fakeGitea } from './helpers/fake-gitea.ts';
import { reconcileConfig, rule } from './helpers/config.ts';

const MIN = 60_000;
function statuses(o: Partial<HookStatusOptions> = {}) {
  let t = Date.parse('2026-12-01T10:00:00Z');
  const storage = o.storage ?? createStorage();
  const make = () => createHookStatus({ storage, verifyWithinMs: () => 5 * MIN, rules: () => [{ match: 'df/*' }], now: () => t, ...o });
  return { storage, leader: make(), follower: make(), advance: (ms: number) => (t += ms) };
}
const hooks = async (s: { list(): Promise<Array<{ hook: string }>> }) => (await s.list()).map((r) => r.hook);

describe('hook status for /webhook/health', () => {
  it('a test delivery verified while its probe is being recorded is not written over by the probe', async () => {
    for (const shared of [true, false]) {
      const gitea = fakeGitea({ df: ['a'] });
      const base = createStorage();
      // The probe's write (the one carrying probedAt) is slow: it lands after the verification's.
      let release!: () => void;
      const slow = new Promise<void>((r) => (release = r));
      const storage = new Proxy(base, {
        get: (t, k) => (k === 'setItem' ? async (key: string, v: { probedAt?: number }) => (v?.probedAt !== undefined && (await slow), t.setItem(key, v)) : Reflect.get(t, k)),
      });
      const leader = createHookStatus({ storage, verifyWithinMs: () => 5 * MIN, rules: () => [{ match: 'df/*' }], shared });
      const [probe] = await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
      const probing = leader.markProbed(probe!.target); // reads the record, then writes it back with probedAt
      await new Promise((r) => setImmediate(r));
      const verifying = leader.markVerified('df/a'); // the test delivery it asked for lands meanwhile
      await new Promise((r) => setImmediate(r));
      release();
      await Promise.all([probing, verifying]);
      expect(await hooks(leader), `shared ${shared}`).toEqual(['ready']);
    }
  });

  it('a delivery verified while a pass is being recorded is not lost (the pass rewrites the record, or names the target only at its end)', async () => {
    for (let delay = 0; delay < 6; delay++) {
      const gitea = fakeGitea({ df: ['a'] });
      const { storage, leader } = statuses();
      const result = await reconcileOnce(reconcileConfig(), { client: gitea, storage });
      const recording = leader.recordPass(result);
      for (let i = 0; i < delay; i++) await Promise.resolve();
      await leader.markVerified('df/a'); // the hook's test delivery arrives mid-pass
      await recording;
      await new Promise((r) => setImmediate(r));
      expect(await hooks(leader), `after ${delay} microtasks`).toEqual(['ready']);
    }
  });

  it('a busy receiver reads the last pass and the record of a verified hook at most every 2 s; a pass of this process is seen at once (issue 13)', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const base = createStorage();
    let reads = 0;
    const storage = new Proxy(base, { get: (s, k) => (k === 'getItem' && reads++, Reflect.get(s, k)) });
    const { leader, advance } = statuses({ storage });
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    reads = 0;
    for (let i = 0; i < 200; i++) await leader.markVerified('df/a');
    expect(reads).toBeLessThanOrEqual(2); // the pass and the hook's record, once
    expect(await hooks(leader)).toEqual(['ready']);
    advance(2_001);
    reads = 0;
    await leader.markVerified('df/a');
    expect(reads).toBe(2);
    // Alone (SQLite: no other process writes these records) what was read or written once is
    // answered from memory: 50 s of deliveries and a listing read nothing more.
    let t = Date.parse('2026-12-01T10:00:30Z');
    const alone = createHookStatus({ storage, verifyWithinMs: () => 5 * MIN, rules: () => [{ match: 'df/*' }], now: () => t, shared: false });
    await alone.markVerified('df/a');
    reads = 0;
    for (let i = 0; i < 50; i++) (t += 1000, await alone.markVerified('df/a'));
    expect(await hooks(alone)).toEqual(['ready']);
    expect(reads).toBe(0);
    // A rotation by this process: the new hook must prove itself, at once.
    await leader.recordPass(await reconcileOnce(reconcileConfig({ secret: 'rotated' }), { client: gitea, storage }));
    expect(await hooks(leader)).toEqual(['pending']);
    await leader.markVerified('df/a');
    expect(await hooks(leader)).toEqual(['ready']);
  });

  it('pending once the hook matches, ready after a verified delivery (seen by every replica), pending again after a rotation', async () => {
    const gitea = fakeGitea({ df: ['a', 'b'] });
    const { storage, leader, follower } = statuses();
    expect(await follower.list()).toEqual([{ repo: 'df/*', hook: 'pending', detail: 'waiting for the first reconcile pass' }]);
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect((await follower.list()).map((r) => [r.repo, r.hook])).toEqual([['df/a', 'pending'], ['df/b', 'pending']]);
    expect((await follower.list())[0]!.detail).toBe('hook matches; waiting for a signed delivery (until 2026-12-01T10:05:00.000Z)');
    await follower.markVerified('df/a'); // the delivery reached the other replica
    expect(await hooks(leader)).toEqual(['ready', 'pending']);
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(await hooks(follower)).toEqual(['ready', 'pending']);
    await leader.recordPass(await reconcileOnce(reconcileConfig({ secret: 'rotated' }), { client: gitea, storage }));
    expect(await hooks(follower)).toEqual(['pending', 'pending']);
  });

  it('survives a restart: a new status on the same storage lists what the old one recorded', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const first = statuses();
    await first.leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage: first.storage }));
    await first.leader.markVerified('df/a');
    const restarted = statuses({ storage: first.storage });
    expect(await hooks(restarted.leader)).toEqual(['ready']);
  });

  it('a hook with no verified delivery within verify_within is an error, and is asked again for a test delivery', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const { storage, leader, advance } = statuses();
    const probes = await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(probes.map((p) => p.repo)).toEqual(['df/a']);
    await leader.markProbed(probes[0]!.target);
    expect(await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }))).toEqual([]); // asked already
    advance(5 * MIN + 1);
    const [a] = await leader.list();
    expect(a).toMatchObject({ repo: 'df/a', hook: 'error' });
    expect(a!.detail).toMatch(/^hook installed at 2026-12-01T10:00:00.000Z but no signed delivery verified within reconcile.verify_within \(5m\); reconcile asked Gitea for a test delivery/);
    expect((await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }))).map((p) => p.repo)).toEqual(['df/a']);
    await leader.markVerified('df/a');
    expect(await hooks(leader)).toEqual(['ready']);
  });

  it('deliveries that fail verification turn a ready repo into an error until one verifies again', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const { storage, leader, follower, advance } = statuses();
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    await leader.markVerified('df/a');
    advance(1000);
    await follower.markUnverified('df/a');
    await follower.markUnverified('df/other'); // undeclared: nothing of ours
    const [a] = await leader.list();
    expect(a).toMatchObject({ hook: 'error' });
    expect(a!.detail).toMatch(/^deliveries naming this repository fail signature verification \(since 2026-12-01T10:00:01.000Z/);
    expect(await leader.list()).toHaveLength(1);
    advance(1000);
    await leader.markVerified('df/a');
    expect(await hooks(follower)).toEqual(['ready']);
  });

  it('shows the error of a repo whose hook could not be listed or written, and of a pass that failed', async () => {
    const gitea = fakeGitea({ df: ['a', 'b'] });
    const { storage, leader } = statuses();
    gitea.fail('POST', 'repo:df/a', new GiteaError('forbidden', 'gitea.token lacks the scope write:repository', 403));
    gitea.fail('GET', 'repo:df/b', new GiteaError('server', 'Gitea answered 500', 500));
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(await leader.list()).toEqual([
      { repo: 'df/a', hook: 'error', detail: 'gitea.token lacks the scope write:repository' },
      { repo: 'df/b', hook: 'error', detail: 'cannot list the hooks of df/b: Gitea answered 500' },
    ]);
    await leader.recordFailure('Gitea rejected the token (gitea.token)');
    expect((await leader.list()).map((r) => r.detail)).toEqual(['Gitea rejected the token (gitea.token)', 'Gitea rejected the token (gitea.token)']);
  });

  it('an owner that cannot be listed shows as its rule, or keeps its repos from the last pass, with the error', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const { storage, leader } = statuses();
    const unlistable = new GiteaError('forbidden', 'gitea.token lacks the scope read:organization (it has write:repository)', 403);
    gitea.fail('GET', 'org:df', unlistable);
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(await leader.list()).toEqual([{ repo: 'df/*', hook: 'error', detail: 'cannot list the repositories of df: gitea.token lacks the scope read:organization (it has write:repository)' }]);
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    await leader.markVerified('df/a');
    gitea.fail('GET', 'org:df', unlistable);
    await leader.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(await leader.list()).toEqual([{ repo: 'df/a', hook: 'error', detail: 'cannot list the repositories of df: gitea.token lacks the scope read:organization (it has write:repository)' }]);
  });

  it('a pass that failed before anything was declared shows each rule with the error', async () => {
    const { leader } = statuses();
    await leader.recordFailure('Gitea rejected the token (gitea.token)');
    expect(await leader.list()).toEqual([{ repo: 'df/*', hook: 'error', detail: 'Gitea rejected the token (gitea.token)' }]);
  });

  it('an org hook covers every declared repo of the owner; a delivery from any of them verifies it', async () => {
    const gitea = fakeGitea({ df: ['a', 'b', 'sandbox'] });
    const { storage, leader } = statuses();
    await leader.markVerified('df/sandbox'); // before the first pass: remembered until the target is known
    const probes = await leader.recordPass(await reconcileOnce(reconcileConfig({ repos: [rule('df/*', { scope: 'org', exclude: ['df/sandbox'] })] }), { client: gitea, storage }));
    expect(probes).toEqual([]); // Gitea cannot test org hooks
    expect(await hooks(leader)).toEqual(['ready', 'ready']);
    await leader.recordPass(await reconcileOnce(reconcileConfig({ repos: [rule('df/*', { scope: 'org', exclude: ['df/sandbox'] })], secret: 'rotated' }), { client: gitea, storage }));
    expect((await leader.list()).map((r) => r.detail)).toEqual([expect.stringMatching(/^org hook matches; waiting/), expect.stringMatching(/^org hook matches; waiting/)]);
    await leader.markVerified('df/sandbox');
    expect(await hooks(leader)).toEqual(['ready', 'ready']);
  });
});
