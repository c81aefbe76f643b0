// `monitor plan [-c FILE] [--json]`: what apply would change on Gitea. Reads only.
// Exit 0 in sync, 2 changes, 1 error (including an incomplete listing).
import { formatPlanJson, formatPlanText } from '../reconcile/format.ts';
import { computePlan } from '../reconcile/run.ts';
import type { CliIO } from './io.ts';
import { runReconcileCommand } from './reconcile-command.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  return runReconcileCommand('plan', 'monitor plan [-c FILE] [--json]', args, io, { json: { type: 'boolean' } }, async ({ values, config, client, storage }) => {
    const { plan } = await computePlan(config, client, storage);
    io.stdout(values.json ? formatPlanJson(plan) : formatPlanText(plan));
    if (!plan.complete || plan.problems.length > 0) return 1;
    return plan.actions.length > 0 ? 2 : 0;
  });
}
