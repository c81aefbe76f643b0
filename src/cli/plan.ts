// `monitor plan [-c FILE] [--json] [--allow-mass-delete]`: what apply would change on Gitea. Reads only.
// Exit 0 in sync, 2 changes, 1 error: an incomplete listing (never "in sync" then), or deletions
// apply would refuse (a mass deletion, or a file that matches no repository) unless
// --allow-mass-delete says they are meant.
import { formatPlanJson, formatPlanText, massDeleteText } from '../reconcile/format.ts';
import { computePlan } from '../reconcile/run.ts';
import type { CliIO } from './io.ts';
import { runReconcileCommand } from './reconcile-command.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  return runReconcileCommand('plan', 'monitor plan [-c FILE] [--json] [--allow-mass-delete]', args, io, { json: { type: 'boolean' }, 'allow-mass-delete': { type: 'boolean' } }, async ({ values, config, client, storage }) => {
    const { plan } = await computePlan(config, client, storage);
    io.stdout(values.json ? formatPlanJson(plan) : formatPlanText(plan));
    if (!plan.complete || plan.problems.length > 0) {
      io.stderr(`monitor plan: not everything could be listed on Gitea (${plan.problems.length || 'a'} listing problem${plan.problems.length === 1 ? '' : 's'}; see above): the plan is incomplete\n`);
      return 1;
    }
    const mass = massDeleteText(plan);
    if (mass && values['allow-mass-delete'] !== true) {
      io.stderr(`monitor plan: ${mass}; apply refuses that: check monitor.yaml, or run apply with --allow-mass-delete if it is meant\n`);
      return 1;
    }
    return plan.actions.length > 0 ? 2 : 0;
  });
}
