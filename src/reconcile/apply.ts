// The only writer: carries out exactly the Plan it is given, nothing more. Actions on one target
// run in order (a rotation creates the new hook before it deletes the old one; duplicates go
// last); targets run side by side, bounded by the client. One failed action does not stop the others.
import type { Storage } from 'unstorage';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import { targetKey, targetLabel, type HookTarget } from '../adapters/gitea/types.ts';
import type { Logger } from '../log.ts';
import type { Secret } from '../secret.ts';
import { secretFingerprint } from './fingerprint.ts';
import type { Plan, PlanAction } from './plan-types.ts';
import { readTargetRecords, writeTargetRecords, type HookRecord } from './state.ts';

export type HookWriter = Pick<GiteaClient, 'createHook' | 'editHook' | 'deleteHook'>;

export interface ApplyOptions {
  client: HookWriter;
  storage: Storage;
  secret: Secret;
  /** Without it, a plan flagged massDelete has its deletions refused (the rest still runs). */
  allowMassDelete?: boolean;
  logger?: Logger;
  now?: () => Date;
}

export interface ActionOutcome {
  action: PlanAction;
  status: 'done' | 'failed' | 'refused';
  /** The hook a create or rotate made. */
  createdId?: number;
  error?: string;
}

export interface ApplyResult {
  outcomes: ActionOutcome[];
  failed: number;
  /** Deletions refused because the plan is a mass deletion and it was not allowed. */
  refused: number;
  stateErrors: string[];
  ok: boolean;
}

interface TargetWork {
  target: HookTarget;
  actions: PlanAction[];
  adopt: number[];
  forget: number[];
}

function groupByTarget(plan: Plan): TargetWork[] {
  const groups = new Map<string, TargetWork>();
  const get = (t: HookTarget) => {
    let g = groups.get(targetKey(t));
    if (!g) groups.set(targetKey(t), (g = { target: t, actions: [], adopt: [], forget: [] }));
    return g;
  };
  for (const a of plan.actions) get(a.target).actions.push(a);
  for (const r of plan.adopt) get(r.target).adopt.push(r.hookId);
  for (const r of plan.forget) get(r.target).forget.push(r.hookId);
  return [...groups.values()];
}

export async function apply(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const { client, storage, logger } = opts;
  const fingerprint = secretFingerprint(opts.secret);
  const now = opts.now ?? (() => new Date());
  const refuseDeletes = plan.massDelete !== null && !opts.allowMassDelete;
  if (refuseDeletes) {
    logger?.error('mass deletion refused', { deletes: plan.massDelete!.deletes, ours: plan.massDelete!.ours, limit: plan.massDelete!.limit, hint: 'run `monitor apply --allow-mass-delete` after checking the plan' });
  }
  const outcomes: ActionOutcome[] = [];
  const stateErrors: string[] = [];

  async function runTarget(work: TargetWork): Promise<void> {
    const t = work.target;
    const label = targetLabel(t);
    let records: Map<number, HookRecord>;
    try {
      records = await readTargetRecords(storage, t);
    } catch (err) {
      stateErrors.push(`cannot read the state of ${label}: ${(err as Error).message}`);
      records = new Map();
    }
    const save = async () => {
      try {
        await writeTargetRecords(storage, t, records);
      } catch (err) {
        stateErrors.push(`cannot record the hooks of ${label}: ${(err as Error).message}`);
      }
    };
    const remember = (id: number) => records.set(id, { fingerprint, recordedAt: now().toISOString() });

    for (const action of work.actions) {
      const outcome: ActionOutcome = { action, status: 'done' };
      outcomes.push(outcome);
      try {
        if (action.kind === 'create' || action.kind === 'rotate') {
          const created = await client.createHook(t, plan.body, opts.secret);
          outcome.createdId = created.id;
          remember(created.id);
          await save(); // before anything else can fail: a created hook must not go unrecorded
          logger?.info(action.kind === 'create' ? 'hook created' : 'hook created with the new secret', { target: label, hook_id: created.id });
          if (action.kind === 'rotate' && action.deleteOld) {
            await client.deleteHook(t, action.hookId);
            records.delete(action.hookId);
            logger?.info('hook with the old secret deleted', { target: label, hook_id: action.hookId });
          }
        } else if (action.kind === 'update') {
          await client.editHook(t, action.hookId, plan.body);
          logger?.info('hook updated', { target: label, hook_id: action.hookId, fields: action.changes.map((c) => c.field) });
        } else if (refuseDeletes && action.reason !== 'replaced') {
          outcome.status = 'refused';
          outcome.error = `refused: part of a mass deletion (${plan.massDelete!.deletes} of ${plan.massDelete!.ours} hooks)`;
        } else {
          await client.deleteHook(t, action.hookId);
          records.delete(action.hookId);
          logger?.info('hook deleted', { target: label, hook_id: action.hookId, reason: action.reason });
        }
      } catch (err) {
        outcome.status = 'failed';
        const made = outcome.createdId !== undefined ? `new hook #${outcome.createdId} created, but the old hook #${(action as { hookId: number }).hookId} was not deleted: ` : '';
        outcome.error = made + (err as Error).message;
        logger?.error('reconcile action failed', { action: action.kind, target: label, error: outcome.error });
      }
    }
    for (const id of work.adopt) if (!records.has(id)) remember(id);
    for (const id of work.forget) records.delete(id);
    await save();
  }

  await Promise.all(groupByTarget(plan).map(runTarget));
  const order = new Map(plan.actions.map((a, i) => [a, i]));
  outcomes.sort((a, b) => order.get(a.action)! - order.get(b.action)!);
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const refused = outcomes.filter((o) => o.status === 'refused').length;
  return { outcomes, failed, refused, stateErrors, ok: failed === 0 && refused === 0 && stateErrors.length === 0 };
}
