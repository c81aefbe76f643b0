// A Plan as text (terraform-style) and as JSON. Neither can show a secret: the Plan holds none,
// authorization headers are already masked, and foreign URLs lose credentials and query.
import { targetLabel } from '../adapters/gitea/types.ts';
import type { DeleteAction, HoldReason, Plan, PlanAction } from './plan-types.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const HOLD_TEXT: Record<HoldReason, string> = {
  'incomplete-listing': 'the listing from Gitea was incomplete',
  'prune-disabled': 'reconcile.prune is false',
};

const DELETE_WHY: Record<DeleteAction['reason'], string> = {
  duplicate: 'extra copy of our hook',
  undeclared: 'repository no longer declared',
  replaced: 'carries the old secret; its replacement exists',
};
const deleteWhy = (a: DeleteAction) => DELETE_WHY[a.reason];

function actionLines(a: PlanAction, plan: Plan): string[] {
  const where = targetLabel(a.target);
  switch (a.kind) {
    case 'create':
      return [`  + ${where}`, `      create hook → ${plan.publicUrl} (events: ${plan.body.events.join(', ')})`];
    case 'update':
      return [`  ~ ${where} #${a.hookId}`, ...a.changes.map((c) => `      ${c.field}: ${c.before} → ${c.after}`)];
    case 'delete':
      return [`  - ${where} #${a.hookId}`, `      delete (${deleteWhy(a)})`];
    case 'rotate':
      return [
        `  ± ${where} #${a.hookId}`,
        `      secret: rotates (a new hook is created first${a.deleteOld ? `, then #${a.hookId} is deleted` : `; #${a.hookId} is kept while deletions are held back`})`,
      ];
  }
}

/** Why apply refuses the plan's deletions without --allow-mass-delete (null when it does not). */
export function massDeleteText(plan: Plan): string | null {
  const m = plan.massDelete;
  if (!m) return null;
  return m.reason === 'matches-nothing'
    ? `monitor.yaml matches no repository on Gitea (a typo in repos[].match?): all ${m.deletes} of our ${m.ours} hooks would be deleted`
    : `${m.deletes} of our ${m.ours} hooks would be deleted (more than ${m.limit})`;
}

/** A plan is in sync only when everything was listed and nothing differs. */
export function inSync(plan: Plan): boolean {
  return plan.complete && plan.problems.length === 0 && plan.actions.length === 0;
}

export function summaryLine(plan: Plan): string {
  if (plan.actions.length === 0 && !inSync(plan)) return 'Not in sync: nothing to change among what could be listed, but the listing was incomplete.';
  if (plan.actions.length === 0) return 'No changes. Hooks match monitor.yaml.';
  const c = plan.counts;
  const rotate = c.rotate > 0 ? `, ${c.rotate} to rotate` : '';
  return `Plan: ${c.create} to create, ${c.update} to update, ${c.delete} to delete${rotate}, ${plural(c.foreign, 'foreign hook', 'foreign hooks')} left alone.`;
}

export function formatPlanText(plan: Plan): string {
  const out: string[] = [`Gitea hooks for ${plan.publicUrl}`, ''];
  for (const a of plan.actions) out.push(...actionLines(a, plan));
  for (const f of plan.foreign) out.push(`  ! ${targetLabel(f.target)} #${f.hookId}`, `      foreign hook left alone (${f.type} → ${f.url})`);
  if (plan.actions.length > 0 || plan.foreign.length > 0) out.push('');
  if (plan.heldBack.deletes.length > 0) {
    out.push(`Deletions held back because ${plan.heldBack.reasons.map((r) => HOLD_TEXT[r]).join(' and ')}:`);
    for (const d of plan.heldBack.deletes) out.push(`  - ${targetLabel(d.target)} #${d.hookId} (${deleteWhy(d)}) not deleted`);
    out.push('');
  }
  const mass = massDeleteText(plan);
  if (mass) out.push(`Mass deletion: ${mass}; apply refuses the deletions without --allow-mass-delete.`, '');
  for (const p of plan.problems) out.push(`Error: ${p}`);
  if (!plan.complete) out.push('Error: the listing from Gitea was incomplete; no hook is deleted until a pass reads everything.');
  if (plan.problems.length > 0 || !plan.complete) out.push('');
  const summary = summaryLine(plan);
  out.push(inSync(plan) && plan.foreign.length > 0 ? `${summary} ${plural(plan.foreign.length, 'foreign hook', 'foreign hooks')} left alone.` : summary);
  return out.join('\n') + '\n';
}

/** The Plan for machines: the same value, with targets spelled out for readers without the types. */
export function formatPlanJson(plan: Plan): string {
  const withLabel = <T extends { target: PlanAction['target'] }>(x: T) => ({ ...x, target: { ...x.target, label: targetLabel(x.target) } });
  return JSON.stringify(
    {
      public_url: plan.publicUrl,
      in_sync: inSync(plan),
      complete: plan.complete,
      summary: summaryLine(plan),
      counts: plan.counts,
      actions: plan.actions.map(withLabel),
      foreign: plan.foreign.map(withLabel),
      held_back: { reasons: plan.heldBack.reasons, deletes: plan.heldBack.deletes.map(withLabel) },
      mass_delete: plan.massDelete,
      adopt: plan.adopt.map(withLabel),
      forget: plan.forget.map(withLabel),
      problems: plan.problems,
      body: plan.body,
    },
    null,
    2,
  ) + '\n';
}
