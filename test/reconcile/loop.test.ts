import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log.ts';
import { GiteaError } from '../../src/adapters/gitea/errors.ts';
import { startReconcileLoop, type PassOutcome, type Timers } from '../../src/reconcile/loop.ts';
import { createHookStatus } from '../../src/reconcile/status.ts';
import type { ReconcileConfig } from '../../src/reconcile/run.ts';
import { fakeGitea, type FakeGitea } from './helpers/fake-gitea.ts';
import { reconcileConfig, rule } from './helpers/config.ts';

/** Timers the test fires by hand: no real waiting. */
function manualTimers() {
  const pending: Array<{ fn: () => void; ms: number }> = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const h = { fn, ms };
      pending.push(h);
      return h;
    },
    clearTimeout: (h) => {
      const i = pending.indexOf(h as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return { timers, pending, fire: () => pending.shift()!.fn() };
}

/** Holds every owner listing until released, and counts passes running at once. */
function gated(gitea: FakeGitea) {
  const inner = gitea.listOwnerRepos.bind(gitea);
  let release: (() => void) | null = null;
  let running = 0;
  const stats = { most: 0, passes: 0 };
  let gate = false;
  gitea.listOwnerRepos = async (...args) => {
    running++;
    stats.passes++;
    stats.most = Math.max(stats.most, running);
    if (gate) await new Promise<void>((r) => (release = r));
    try {
      return await inner(...args);
    } finally {
      running--;
    }
  };
  return { stats, hold: () => (gate = true), open: () => ((gate = false), release?.()) };
}

function setup(config: ReconcileConfig = reconcileConfig(), gitea = fakeGitea({ df: ['a', 'b'] })) {
  const t = manualTimers();
  const log = memoryLogger();
  const passes: PassOutcome[] = [];
  let current = config;
  const storage = createStorage();
  const status = createHookStatus({ storage, verifyWithinMs: () => 300_000, rules: () => current?.repos ?? [] });
  const loop = startReconcileLoop({
    getConfig: () => current, client: gitea, storage, logger: log, intervalMs: 60_000, jitter: 0.2,
    random: () => 0.5, timers: t.timers, onPass: (o) => passes.push(o), status,
  });
  return { loop, gitea, t, log, passes, status, setConfig: (c: ReconcileConfig) => (current = c) };
}

const idle = async (loop: { trigger(r: string): Promise<PassOutcome> }, passes: PassOutcome[], n: number) => {
  while (passes.length < n) await new Promise((r) => setImmediate(r));
  return loop;
};

describe('startReconcileLoop', () => {
  it('reconciles at start and schedules the next pass after interval + jitter', async () => {
    const { loop, gitea, t, passes } = setup();
    await idle(loop, passes, 1);
    expect(passes[0]).toMatchObject({ ok: true, reason: 'start' });
    expect(gitea.hooksOf({ kind: 'repo', repo: 'df/a' })).toHaveLength(1);
    expect(t.pending.map((p) => p.ms)).toEqual([66_000]);
    expect(loop.lastResult).toBe(passes[0]);
    await loop.stop();
  });

  it('is level-triggered: each pass re-reads Gitea and repairs what changed in between', async () => {
    const { loop, gitea, t, passes } = setup();
    await idle(loop, passes, 1);
    gitea.hooksOf({ kind: 'repo', repo: 'df/b' }).length = 0; // deleted behind our back
    t.fire();
    await idle(loop, passes, 2);
    expect(passes[1]).toMatchObject({ ok: true, reason: 'interval' });
    expect(passes[1]!.ok && passes[1]!.result.plan.counts.create).toBe(1);
    expect(gitea.hooksOf({ kind: 'repo', repo: 'df/b' })).toHaveLength(1);
    await loop.stop();
  });

  it('never runs two passes at once: triggers during a pass coalesce into exactly one more', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const gate = gated(gitea);
    gate.hold();
    const { loop, passes } = setup(reconcileConfig(), gitea);
    const first = loop.trigger('config reloaded'); // start pass is running and held
    const second = loop.trigger('repository created', 'df/new');
    gate.open();
    const [o1, o2] = await Promise.all([first, second]);
    expect(o1).toBe(o2);
    expect(o1.reason).toBe('config reloaded, repository created (df/new)');
    expect(passes.map((p) => p.reason)).toEqual(['start', 'config reloaded, repository created (df/new)']);
    expect(gate.stats.most).toBe(1);
    await loop.stop();
  });

  it('picks up a repository created after start when triggered', async () => {
    const { loop, gitea, passes } = setup();
    await idle(loop, passes, 1);
    gitea.repos.set('df', ['a', 'b', 'new']);
    const o = await loop.trigger('repository created', 'df/new');
    expect(o.ok).toBe(true);
    expect(gitea.hooksOf({ kind: 'repo', repo: 'df/new' })).toHaveLength(1);
    await loop.stop();
  });

  it('logs a mass deletion as an error and does not apply it', async () => {
    const gitea = fakeGitea({ df: ['a', 'b', 'c', 'd', 'e'] });
    const { loop, passes, log, setConfig } = setup(reconcileConfig(), gitea);
    await idle(loop, passes, 1);
    setConfig(reconcileConfig({ repos: [rule('df/a')] }));
    const o = await loop.trigger('config reloaded');
    expect(o.ok && o.result.apply.refused).toBe(4);
    expect(['b', 'c', 'd', 'e'].every((r) => gitea.hooksOf({ kind: 'repo', repo: `df/${r}` }).length === 1)).toBe(true);
    expect(log.lines.find((l) => l.msg === 'reconcile: mass deletion refused; deletions not applied')).toMatchObject({ level: 'error', deletes: 4, ours: 5 });
    await loop.stop();
  });

  it('survives a failing pass, reports it, and keeps its schedule', async () => {
    const { loop, passes, t, status, log, setConfig } = setup();
    await idle(loop, passes, 1);
    setConfig(null as unknown as ReconcileConfig); // getConfig yields something unusable
    t.fire();
    await idle(loop, passes, 2);
    expect(passes[1]).toMatchObject({ ok: false, reason: 'interval' });
    expect(log.lines.some((l) => l.level === 'error' && l.msg === 'reconcile pass failed')).toBe(true);
    expect((await status.list()).every((r) => r.hook === 'error')).toBe(true);
    expect(t.pending).toHaveLength(1);
    await loop.stop();
    expect(t.pending).toHaveLength(0);
  });

  it('stop() waits for the pass in flight and ends the schedule', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const gate = gated(gitea);
    gate.hold();
    const { loop, passes, t } = setup(reconcileConfig(), gitea);
    const stopped = loop.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    gate.open();
    await stopped;
    expect(passes).toHaveLength(1);
    expect(t.pending).toHaveLength(0);
    expect((await loop.trigger('late')).reason).toBe('start');
  });

  it("checks the token's rights to manage hooks at start, and on every pass while they are refused", async () => {
    const gitea = fakeGitea({ df: ['a', 'b'] });
    const refusal = 'gitea.token lacks the scope write:repository (it has read:repository), which managing the hooks of df/a needs: give the token that scope';
    gitea.fail('PATCH', 'repo:df/a#0', new GiteaError('forbidden', refusal, 403, ['write:repository']));
    const { loop, t, passes, status, log } = setup(reconcileConfig(), gitea);
    await idle(loop, passes, 1);
    expect(log.lines.find((l) => l.msg === 'gitea.token cannot manage hooks')).toMatchObject({ level: 'error', kind: 'repo', missing_scopes: ['write:repository'], error: refusal });
    expect((await status.list()).map((r) => r.detail)).toEqual([refusal, refusal]);
    t.fire(); // the scope was granted meanwhile
    await idle(loop, passes, 2);
    expect((await status.list()).map((r) => r.hook)).toEqual(['pending', 'pending']);
    t.fire();
    await idle(loop, passes, 3);
    expect(gitea.calls.filter((c) => c === 'PATCH repo:df/a#0')).toHaveLength(2); // not again once allowed
    await loop.stop();
  });

  it('asks Gitea for a test delivery from each new repo hook when testNewHooks is set', async () => {
    const gitea = fakeGitea({ df: ['a'] });
    const passes: PassOutcome[] = [];
    const loop = startReconcileLoop({
      getConfig: () => reconcileConfig(), client: () => gitea, storage: createStorage(), logger: memoryLogger(), intervalMs: 1000,
      timers: manualTimers().timers, onPass: (o) => passes.push(o), testNewHooks: true,
    });
    await idle(loop, passes, 1);
    const id = gitea.hooksOf({ kind: 'repo', repo: 'df/a' })[0]!.id;
    expect(gitea.calls).toContain(`POST repo:df/a#${id}/tests`);
    await loop.stop();
  });
});
