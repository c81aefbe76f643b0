// The daemon's reconcile loop, level-triggered like a controller-runtime reconciler: every pass
// re-reads Gitea and makes it match the current config. Passes run at start, every interval
// (with jitter so replicas and restarts spread out), and on trigger (config reload, a repository
// created). Never two at once: triggers during a pass coalesce into exactly one more pass.
import type { Storage } from 'unstorage';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import type { Logger } from '../log.ts';
import { reconcileOnce, type PassResult, type ReconcileConfig } from './run.ts';
import type { HookStatus } from './status.ts';
import { checkHookRights } from './rights.ts';

export type PassOutcome =
  | { ok: true; reason: string; startedAt: Date; finishedAt: Date; result: PassResult }
  | { ok: false; reason: string; startedAt: Date; finishedAt: Date; error: string };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReconcileLoopOptions {
  getConfig: () => ReconcileConfig;
  /** A client, or a getter when a config reload may replace it. */
  client: GiteaClient | (() => GiteaClient);
  storage: Storage;
  logger: Logger;
  /** Default: the config's reconcile.interval, read when each pass is scheduled. */
  intervalMs?: number;
  /** Up to this fraction of the interval is added at random (default 0.1). */
  jitter?: number;
  onPass?: (outcome: PassOutcome) => void;
  status?: HookStatus;
  /** Ask Gitea for a test delivery from each repo hook that has not proven itself (new, or silent past reconcile.verify_within), so health can turn ready without waiting for a push. */
  testNewHooks?: boolean;
  random?: () => number;
  timers?: Timers;
  now?: () => Date;
}

export interface ReconcileLoop {
  /** Run a pass now, or right after the running one; resolves with the pass that covered it. */
  trigger(reason: string, repo?: string): Promise<PassOutcome>;
  stop(): Promise<void>;
  readonly lastResult: PassOutcome | null;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function startReconcileLoop(opts: ReconcileLoopOptions): ReconcileLoop {
  const timers = opts.timers ?? realTimers;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? (() => new Date());
  const log = opts.logger;
  let last: PassOutcome | null = null;
  let running = false;
  let again: { reasons: string[]; waiters: Array<(o: PassOutcome) => void> } | null = null;
  let timer: unknown = null;
  let stopped = false;
  let idle: Promise<unknown> = Promise.resolve();

  const clientNow = () => (typeof opts.client === 'function' ? opts.client() : opts.client);
  // Checked once per client while all is well; every pass while refused (an admin may grant rights).
  let rightsCheckedFor: GiteaClient | null = null;

  function schedule(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (stopped) return;
    let base = opts.intervalMs ?? 300_000;
    try {
      base = opts.intervalMs ?? opts.getConfig().reconcile.intervalMs;
    } catch (err) {
      log.error('reconcile: cannot read reconcile.interval; using 5m', { error: (err as Error).message });
    }
    const delay = base + Math.floor(random() * (opts.jitter ?? 0.1) * base);
    timer = timers.setTimeout(() => void trigger('interval'), delay);
  }

  /** Without a status to say which hooks still have to prove themselves: the ones just created. */
  const created = (result: PassResult) =>
    result.apply.outcomes.flatMap((o) => (o.createdId !== undefined && o.action.target.kind === 'repo' ? [{ target: `repo:${o.action.target.repo}`, repo: o.action.target.repo, id: o.createdId }] : []));

  /** Gitea has no test endpoint for org hooks: only repository hooks are asked. */
  async function probe(hooks: Array<{ target: string; repo: string; id: number }>, client: GiteaClient): Promise<void> {
    for (const h of hooks) {
      try {
        await client.testHook(h.repo, h.id);
        await opts.status?.markProbed(h.target);
      } catch (err) {
        log.info('test delivery not sent', { repo: h.repo, error: (err as Error).message });
      }
    }
  }

  async function pass(reason: string): Promise<PassOutcome> {
    const startedAt = now();
    let outcome: PassOutcome;
    let unproven: Array<{ target: string; repo: string; id: number }> = [];
    let client: GiteaClient | null = null;
    try {
      client = clientNow();
      const result = await reconcileOnce(opts.getConfig(), { client, storage: opts.storage, logger: log, allowMassDelete: false });
      const { counts } = result.plan;
      log.info('reconcile pass', {
        reason, create: counts.create, update: counts.update, delete: counts.delete, rotate: counts.rotate, foreign: counts.foreign,
        failed: result.apply.failed, complete: result.plan.complete, requests: result.requests,
      });
      for (const p of result.plan.problems) log.error('reconcile: listing problem', { problem: p });
      if (result.plan.massDelete) {
        log.error('reconcile: mass deletion refused; deletions not applied', { ...result.plan.massDelete, hint: 'check monitor.yaml, then run `monitor apply --allow-mass-delete`' });
      }
      if (rightsCheckedFor !== client) {
        const problems = await checkHookRights(client, result.desired.targets);
        for (const p of problems) log.error('gitea.token cannot manage hooks', { kind: p.kind, missing_scopes: p.scopes, error: p.error });
        await opts.status?.recordRights(problems);
        rightsCheckedFor = problems.length ? null : client;
      }
      unproven = opts.status ? await opts.status.recordPass(result) : created(result);
      outcome = { ok: true, reason, startedAt, finishedAt: now(), result };
    } catch (err) {
      const error = (err as Error).message;
      log.error('reconcile pass failed', { reason, error });
      await opts.status?.recordFailure(error).catch((e: Error) => log.error('cannot record the failed pass for health', { error: e.message }));
      outcome = { ok: false, reason, startedAt, finishedAt: now(), error };
    }
    last = outcome;
    try {
      opts.onPass?.(outcome);
    } catch (err) {
      log.error('reconcile onPass callback threw', { error: (err as Error).message });
    }
    // After the pass is reported: test deliveries are the hooks' business, not the pass's result.
    if (opts.testNewHooks && client) await probe(unproven, client);
    return outcome;
  }

  function start(reason: string, waiters: Array<(o: PassOutcome) => void>): Promise<PassOutcome> {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    running = true;
    const p = pass(reason);
    idle = p.then((o) => {
      for (const w of waiters) w(o);
      running = false;
      const next = again;
      again = null;
      if (next && !stopped) return start(next.reasons.join(', '), next.waiters);
      for (const w of next?.waiters ?? []) w(o);
      schedule();
      return undefined;
    });
    return p;
  }

  function trigger(reason: string, repo?: string): Promise<PassOutcome> {
    const label = repo ? `${reason} (${repo})` : reason;
    if (stopped) {
      const t = now();
      return Promise.resolve(last ?? { ok: false, reason: label, startedAt: t, finishedAt: t, error: 'the reconcile loop is stopped' });
    }
    if (!running) return start(label, []);
    again ??= { reasons: [], waiters: [] };
    if (!again.reasons.includes(label)) again.reasons.push(label);
    const waiters = again.waiters;
    return new Promise((resolve) => waiters.push(resolve));
  }

  void trigger('start');
  return {
    trigger,
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      // Wait for the pass in flight (and the one it may have chained) to finish.
      for (let prev: unknown = undefined; prev !== idle; ) {
        prev = idle;
        await idle;
      }
    },
    get lastResult() {
      return last;
    },
  };
}
