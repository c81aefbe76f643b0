// The daemon's hook supervisor: the reconcile loop (src/reconcile) plus the per-repo hook state
// that /webhook/health shows, fed by reconcile passes and by verified deliveries.
import type { Storage } from 'unstorage';
import { giteaClientFor, type GiteaClient } from '../adapters/gitea/client.ts';
import { startReconcileLoop } from '../reconcile/loop.ts';
import { createHookStatus } from '../reconcile/status.ts';
import type { Config } from '../config/config.ts';
import type { RuntimeRef } from './runtime.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';
import type { HookSupervisor } from './daemon.ts';

export function superviseHooks(ctx: { runtime: RuntimeRef; storage: Storage; logger: Logger; metrics: Metrics }): HookSupervisor {
  const status = createHookStatus();
  let client: GiteaClient | null = null;
  let clientFor: Config['gitea'] | null = null;
  // One client per gitea config: a reload that changes url or token gets a new one.
  const currentClient = () => {
    const g = ctx.runtime.get().config.gitea;
    if (g !== clientFor) (client = giteaClientFor(g, ctx.logger), (clientFor = g));
    return client!;
  };
  const loop = startReconcileLoop({
    getConfig: () => ctx.runtime.get().config,
    client: currentClient,
    storage: ctx.storage,
    logger: ctx.logger.child({ component: 'reconcile' }),
    status,
    testNewHooks: true,
    onPass: (o) => {
      if (!o.ok) return void ctx.metrics.reconcileErrors.inc();
      for (const a of o.result.apply.outcomes) if (a.status === 'done') ctx.metrics.reconcileActions.inc({ action: a.action.kind });
      if (!o.result.plan.complete || !o.result.apply.ok) ctx.metrics.reconcileErrors.inc();
      ctx.metrics.hookState.reset();
      for (const r of status.list()) ctx.metrics.hookState.set({ repo: r.repo, state: r.hook }, 1);
    },
  });
  return {
    trigger: (reason, repo) => void loop.trigger(reason, repo).catch(() => undefined),
    markVerified: (repo) => status.markVerified(repo),
    repos: () => status.list().map((r) => ({ repo: r.repo, hook: r.hook, detail: r.detail || null })),
    stop: () => loop.stop(),
  };
}
