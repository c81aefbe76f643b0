// One reconcile pass, as the CLI and the daemon both run it: expand the desired hooks, read
// Gitea, plan, and (the daemon, `monitor apply`) apply. Planning never writes.
import type { Storage } from 'unstorage';
import type { Config } from '../config/config.ts';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import type { Logger } from '../log.ts';
import { apply, type ApplyResult } from './apply.ts';
import { expandDesired, type Desired } from './desired.ts';
import { secretFingerprint } from './fingerprint.ts';
import { fingerprintsOf, observe } from './observe.ts';
import { plan as makePlan, type ListedTarget } from './plan.ts';
import type { Plan } from './plan-types.ts';

export type ReconcileConfig = Pick<Config, 'webhook' | 'repos' | 'reconcile'>;

export interface Planned {
  desired: Desired;
  /** What each hook target held when it was read (hooks null: the listing failed). */
  listed: ListedTarget[];
  plan: Plan;
}

export async function computePlan(config: ReconcileConfig, client: GiteaClient, storage: Storage): Promise<Planned> {
  const desired = await expandDesired(config, client);
  const observed = await observe(desired.targets, client, storage);
  const plan = makePlan({
    desired,
    listed: observed.listed,
    remembered: fingerprintsOf(observed.remembered),
    fingerprint: secretFingerprint(config.webhook.secret),
    prune: config.reconcile.prune,
  });
  return { desired, listed: observed.listed, plan };
}

export interface PassResult extends Planned {
  apply: ApplyResult;
  /** Gitea API requests this pass made. */
  requests: number;
}

export async function reconcileOnce(
  config: ReconcileConfig,
  deps: { client: GiteaClient; storage: Storage; logger?: Logger; allowMassDelete?: boolean },
): Promise<PassResult> {
  const before = deps.client.stats().requests;
  const planned = await computePlan(config, deps.client, deps.storage);
  const result = await apply(planned.plan, {
    client: deps.client,
    storage: deps.storage,
    secret: config.webhook.secret,
    allowMassDelete: deps.allowMassDelete ?? false,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  return { ...planned, apply: result, requests: deps.client.stats().requests - before };
}
