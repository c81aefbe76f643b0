// `monitor apply [-c FILE] [--allow-mass-delete]`: prints the plan, then carries out exactly it.
// Exit 0 when everything was applied, 1 on any error: a failed action, refused deletions (a mass
// deletion, or a file that matches no repository), or an incomplete listing (creates and updates
// done, deletions skipped).
import { targetLabel } from '../adapters/gitea/types.ts';
import { apply, type ActionOutcome } from '../reconcile/apply.ts';
import { formatPlanText, massDeleteText } from '../reconcile/format.ts';
import { computePlan } from '../reconcile/run.ts';
import type { CliIO } from './io.ts';
import { runReconcileCommand } from './reconcile-command.ts';

const SIGN = { create: '+', update: '~', delete: '-', rotate: '±' } as const;

function outcomeLine(o: ActionOutcome): string {
  const a = o.action;
  const where = `${SIGN[a.kind]} ${targetLabel(a.target)}${'hookId' in a ? ` #${a.hookId}` : ''}`;
  if (o.status === 'refused') return `  refused  ${where}: part of a mass deletion (rerun with --allow-mass-delete after checking the plan)`;
  if (o.status === 'failed') return `  failed   ${where}: ${o.error ?? 'unknown error'}`;
  const done = a.kind === 'create' ? `created hook #${o.createdId}` : a.kind === 'rotate' ? `created hook #${o.createdId} with the new secret${a.deleteOld ? `, deleted #${a.hookId}` : ''}` : a.kind === 'update' ? 'updated' : 'deleted';
  return `  done     ${where}: ${done}`;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  return runReconcileCommand('apply', 'monitor apply [-c FILE] [--allow-mass-delete]', args, io, { 'allow-mass-delete': { type: 'boolean' } }, async ({ values, config, client, storage }) => {
    const { plan } = await computePlan(config, client, storage);
    io.stdout(formatPlanText(plan));
    const result = await apply(plan, { client, storage, secret: config.webhook.secret, allowMassDelete: values['allow-mass-delete'] === true });
    if (result.outcomes.length > 0) io.stdout(`\n${result.outcomes.map(outcomeLine).join('\n')}\n`);
    for (const e of result.stateErrors) io.stderr(`monitor apply: ${e}\n`);
    const done = (k: string) => result.outcomes.filter((o) => o.status === 'done' && o.action.kind === k).length;
    if (result.outcomes.length > 0) {
      io.stdout(`\nApply ${result.ok ? 'complete' : 'finished with errors'}: ${done('create')} created, ${done('update')} updated, ${done('delete')} deleted, ${done('rotate')} rotated` +
        `${result.failed > 0 ? `, ${result.failed} failed` : ''}${result.refused > 0 ? `, ${result.refused} refused` : ''}.\n`);
    }
    if (result.refused > 0) io.stderr(`monitor apply: refused to delete ${result.refused} hooks: ${massDeleteText(plan)}; check monitor.yaml, then rerun with --allow-mass-delete\n`);
    if (result.failed > 0) io.stderr(`monitor apply: ${result.failed} of ${result.outcomes.length} actions failed\n`);
    if (!plan.complete) io.stderr('monitor apply: the listing from Gitea was incomplete: creates and updates were applied, no hook was deleted\n');
    return result.ok && plan.complete && plan.problems.length === 0 ? 0 : 1;
  });
}
