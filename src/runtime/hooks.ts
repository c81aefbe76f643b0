// The daemon's hook supervisor: the reconcile loop (src/reconcile) and catch-up, run by the leading
// replica only, plus the per-repo hook state that /webhook/health shows, fed by reconcile passes and
// by deliveries verified or failing verification (on every replica), kept in the shared state storage.
import type { Storage } from 'unstorage';
import { giteaClientFor, type GiteaClient } from '../adapters/gitea/client.ts';
import { startReconcileLoop, type ReconcileLoop } from '../reconcile/loop.ts';
import { createHookStatus } from '../reconcile/status.ts';
import type { Config } from '../config/config.ts';
import type { RuntimeRef } from './runtime.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';
import type { HookSupervisor } from './daemon.ts';
import type { Store } from '../adapters/store/types.ts';
import type { Worker } from './worker.ts';
import { catchUp, FIRST_DELIVERY } from './catch-up.ts';

export interface SuperviseContext {
  runtime: RuntimeRef;
  storage: Storage;
  store: Store;
  worker: Worker;
  logger: Logger;
  metrics: Metrics;
}

export function superviseHooks(ctx: SuperviseContext): HookSupervisor {
  const log = ctx.logger.child({ component: 'reconcile' });
  const status = createHookStatus({
    storage: ctx.storage,
    verifyWithinMs: () => ctx.runtime.get().config.reconcile.verifyWithinMs,
    rules: () => ctx.runtime.get().config.repos,
    shared: !ctx.runtime.get().config.runs.database.startsWith('sqlite:'),
  });
  const noted = (what: string) => (e: Error) => log.warn(`cannot record ${what} for health`, { error: e.message });
  // monitor_hooks{state}: after each pass, and every 15 s on every replica (deliveries change it,
  // and a silent hook turns error by time passing alone).
  const refreshGauge = () =>
    void status
      .list()
      .then((repos) => {
        const counts = { ready: 0, pending: 0, error: 0 };
        for (const r of repos) counts[r.hook]++;
        for (const [state, n] of Object.entries(counts)) ctx.metrics.hooks.set({ state }, n);
      })
      .catch(noted('hook metrics'));
  const gaugeTimer = setInterval(refreshGauge, 15_000).unref();
  let client: GiteaClient | null = null;
  let clientFor: Config['gitea'] | null = null;
  // Shutdown aborts every Gitea call in flight (reconcile pass, catch-up) instead of waiting them out.
  const shutdown = new AbortController();
  // One client per gitea config: a reload that changes url or token gets a new one.
  const currentClient = () => {
    const g = ctx.runtime.get().config.gitea;
    if (g !== clientFor) (client = giteaClientFor(g, ctx.logger, shutdown.signal), (clientFor = g));
    return client!;
  };
  let loop: ReconcileLoop | null = null;
  // Catch-up passes run one at a time, after the backlog is processed, and only while leading.
  let catching: Promise<unknown> = Promise.resolve();
  // `repos` may be read when the pass starts (first deliveries: every repository queued by then).
  // `settled` runs when the pass ends, whether it ran or failed before it began.
  const runCatchUp = (reason: string, repos?: string[] | (() => string[]), settled?: () => void) => {
    catching = catching
      .then(() => ctx.worker.idle())
      .then(() => {
        const list = typeof repos === 'function' ? repos() : repos;
        return loop ? catchUp({ runtime: ctx.runtime, store: ctx.store, client: currentClient(), logger: ctx.logger.child({ catch_up: reason }), onStored: () => ctx.worker.wake(), ...(list ? { repos: list } : {}), baselineOnly: reason === FIRST_DELIVERY }) : null;
      })
      .catch((e) => ctx.logger.error('catch-up failed', { error: e, reason }))
      .finally(() => settled?.());
  };
  // First deliveries come in bursts (1,000 test deliveries after hooks are installed, the first
  // minutes of traffic): their baselines share one queued pass instead of one pass (and one wait
  // for the worker) each.
  const firsts = new Set<string>();
  const firstDelivery = (repos: string[]) => {
    const queued = firsts.size > 0;
    repos.forEach((r) => firsts.add(r));
    if (queued) return;
    let taken = false;
    const take = () => {
      taken = true;
      const list = [...firsts];
      firsts.clear();
      return list;
    };
    // A pass that failed before it read them (the worker could not be asked) drops them: the next
    // start's catch-up covers those repositories, and first deliveries queue a pass again.
    runCatchUp(FIRST_DELIVERY, take, () => taken || firsts.clear());
  };
  const start = () =>
    startReconcileLoop({
      getConfig: () => ctx.runtime.get().config,
      client: currentClient,
      storage: ctx.storage,
      logger: log,
      status,
      testNewHooks: true,
      onPass: (o) => {
        refreshGauge();
        if (!o.ok) return void ctx.metrics.reconcileErrors.inc();
        for (const a of o.result.apply.outcomes) if (a.status === 'done') ctx.metrics.reconcileActions.inc({ action: a.action.kind });
        if (!o.result.plan.complete || !o.result.apply.ok) ctx.metrics.reconcileErrors.inc();
      },
    });
  return {
    trigger: (reason, repo) => void loop?.trigger(reason, repo).catch(() => undefined),
    markVerified: (repo) => void status.markVerified(repo).catch(noted('a verified delivery')),
    markUnverified: (repo) => void status.markUnverified(repo).catch(noted('a delivery that failed verification')),
    catchUp: (reason, repos) => (reason === FIRST_DELIVERY && repos ? firstDelivery(repos) : runCatchUp(reason, repos)),
    repos: async () => (await status.list()).map((r) => ({ repo: r.repo, hook: r.hook, detail: r.detail || null })),
    async lead(active) {
      if (active && !loop) {
        loop = start();
        // After the backlog a restart found is processed, look for what happened while nobody listened.
        runCatchUp('start');
      } else if (!active && loop) {
        const l = loop;
        loop = null;
        await l.stop();
      }
    },
    stop: async () => {
      shutdown.abort();
      clearInterval(gaugeTimer);
      await loop?.stop();
      loop = null;
    },
  };
}
