// desired × actual → Plan. Pure: no I/O, no clock; the same inputs give the same plan.
// Ownership is URL equality with webhook.public_url; everything else is foreign and left alone.
import { targetKey, targetLabel, type GiteaHook, type HookBody, type HookTarget } from '../adapters/gitea/types.ts';
import { expandRequestedEvents, keysOfReturnedEvents, listEvents, sameEvents } from './events.ts';
import { displayUrl, foreignUrl, sameUrl } from './url.ts';
import type { DeleteAction, FieldChange, ForeignHook, HoldReason, Plan, PlanAction, StateRecordRef } from './plan-types.ts';

/** One hook target as listed: `hooks` null when its listing failed. */
export interface ListedTarget {
  target: HookTarget;
  hooks: GiteaHook[] | null;
  error?: string;
  /** The repository or org no longer exists (404): its hooks went with it. */
  gone?: boolean;
}

export interface PlanInput {
  desired: { publicUrl: string; body: HookBody; targets: HookTarget[]; complete: boolean; problems: string[] };
  /** Every desired target and every target the state remembers. */
  listed: ListedTarget[];
  /** targetKey → hook id → secret fingerprint it was created with. */
  remembered: ReadonlyMap<string, ReadonlyMap<number, string>>;
  /** Fingerprint of the configured secret. */
  fingerprint: string;
  prune: boolean;
}

const show = (v: string) => JSON.stringify(v);
const auth = (v: string) => (v === '' ? '(none)' : '(set)');

/** The fields of `hook` that differ from `body`, the way Gitea compares them. */
export function diffHook(hook: GiteaHook, body: HookBody): FieldChange[] {
  const changes: FieldChange[] = [];
  const url = hook.config.url ?? '';
  if (url !== body.config.url) changes.push({ field: 'url', before: displayUrl(url), after: displayUrl(body.config.url) });
  const have = keysOfReturnedEvents(hook.events);
  const want = expandRequestedEvents(body.events);
  if (!sameEvents(have, want)) changes.push({ field: 'events', before: `[${listEvents(have).join(', ')}]`, after: `[${listEvents(want).join(', ')}]` });
  if (hook.active !== true) changes.push({ field: 'active', before: String(hook.active), after: 'true' });
  const ct = hook.config.content_type ?? '';
  if (ct !== body.config.content_type) changes.push({ field: 'content_type', before: show(ct), after: show(body.config.content_type) });
  const bf = hook.branch_filter ?? '';
  if (bf !== body.branch_filter) changes.push({ field: 'branch_filter', before: show(bf), after: show(body.branch_filter) });
  const ah = hook.authorization_header ?? '';
  if (ah !== body.authorization_header) changes.push({ field: 'authorization_header', before: auth(ah), after: auth(body.authorization_header) });
  return changes;
}

interface TargetPlan {
  actions: PlanAction[];
  adopt: StateRecordRef[];
  forget: StateRecordRef[];
  ours: number;
}

function planTarget(t: HookTarget, hooks: GiteaHook[], wanted: boolean, input: PlanInput): TargetPlan {
  const remembered = input.remembered.get(targetKey(t)) ?? new Map<number, string>();
  const ours = hooks.filter((h) => sameUrl(h.config.url, input.desired.publicUrl));
  const out: TargetPlan = { actions: [], adopt: [], forget: [], ours: ours.length };
  const present = new Set(ours.map((h) => h.id));
  for (const id of remembered.keys()) if (!present.has(id)) out.forget.push({ target: t, hookId: id });

  if (!wanted) {
    for (const h of ours) out.actions.push({ kind: 'delete', target: t, hookId: h.id, reason: 'undeclared' });
    return out;
  }
  if (ours.length === 0) {
    out.actions.push({ kind: 'create', target: t });
    return out;
  }
  // Keep the best copy: current secret, then known to us, then already matching, then oldest.
  const rank = (h: GiteaHook) => [
    remembered.get(h.id) === input.fingerprint ? 0 : 1,
    remembered.has(h.id) ? 0 : 1,
    diffHook(h, input.desired.body).length === 0 ? 0 : 1,
    h.id,
  ];
  const sorted = [...ours].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  });
  const keeper = sorted[0]!;
  const known = remembered.get(keeper.id);
  for (const dup of sorted.slice(1)) {
    // Left over from a rotation (crash, or deletions held back): finishing it loses no coverage.
    const old = remembered.get(dup.id);
    const replaced = known === input.fingerprint && old !== undefined && old !== input.fingerprint;
    out.actions.push({ kind: 'delete', target: t, hookId: dup.id, reason: replaced ? 'replaced' : 'duplicate' });
  }
  if (known !== undefined && known !== input.fingerprint) {
    // The secret cannot be PATCHed: a fresh hook replaces this one, so its drift does not matter.
    out.actions.push({ kind: 'rotate', target: t, hookId: keeper.id, deleteOld: true });
    return out;
  }
  // Unknown fingerprint (state lost, or made by hand): adopt it as carrying the current secret.
  if (known === undefined) out.adopt.push({ target: t, hookId: keeper.id });
  const changes = diffHook(keeper, input.desired.body);
  if (changes.length > 0) out.actions.push({ kind: 'update', target: t, hookId: keeper.id, changes });
  return out;
}

const ORDER: Record<PlanAction['kind'], number> = { rotate: 0, create: 1, update: 2, delete: 3 };
function byTarget(a: { target: HookTarget }, b: { target: HookTarget }): number {
  return targetLabel(a.target).localeCompare(targetLabel(b.target));
}

export function plan(input: PlanInput): Plan {
  const wanted = new Set(input.desired.targets.map(targetKey));
  const problems = [...input.desired.problems];
  let complete = input.desired.complete;
  let actions: PlanAction[] = [];
  const foreign: ForeignHook[] = [];
  const adopt: StateRecordRef[] = [];
  const forget: StateRecordRef[] = [];
  let ours = 0;

  for (const l of input.listed) {
    const key = targetKey(l.target);
    if (l.hooks === null) {
      if (l.gone && !wanted.has(key)) {
        for (const id of input.remembered.get(key)?.keys() ?? []) forget.push({ target: l.target, hookId: id });
        continue;
      }
      complete = false;
      problems.push(`cannot list the hooks of ${targetLabel(l.target)}: ${l.error ?? 'unknown error'}`);
      continue;
    }
    const tp = planTarget(l.target, l.hooks, wanted.has(key), input);
    actions.push(...tp.actions);
    adopt.push(...tp.adopt);
    forget.push(...tp.forget);
    ours += tp.ours;
    for (const h of l.hooks) {
      if (!sameUrl(h.config.url, input.desired.publicUrl)) foreign.push({ target: l.target, hookId: h.id, url: foreignUrl(h.config.url), type: h.type });
    }
  }

  const reasons: HoldReason[] = [];
  if (!input.prune) reasons.push('prune-disabled');
  if (!complete) reasons.push('incomplete-listing');
  const heldBack: DeleteAction[] = [];
  if (reasons.length > 0) {
    heldBack.push(...actions.filter((a): a is DeleteAction => a.kind === 'delete'));
    actions = actions.filter((a) => a.kind !== 'delete').map((a) => (a.kind === 'rotate' ? { ...a, deleteOld: false } : a));
  }
  const deletes = actions.filter((a) => a.kind === 'delete').length;
  const risky = actions.filter((a) => a.kind === 'delete' && a.reason !== 'replaced').length;
  const limit = Math.max(3, Math.floor(ours / 4));

  actions.sort((a, b) => byTarget(a, b) || ORDER[a.kind] - ORDER[b.kind] || ('hookId' in a && 'hookId' in b ? a.hookId - b.hookId : 0));
  foreign.sort((a, b) => byTarget(a, b) || a.hookId - b.hookId);
  const count = (k: PlanAction['kind']) => actions.filter((a) => a.kind === k).length;
  return {
    publicUrl: input.desired.publicUrl,
    body: input.desired.body,
    actions,
    foreign,
    adopt,
    forget,
    heldBack: { reasons, deletes: heldBack.sort((a, b) => byTarget(a, b) || a.hookId - b.hookId) },
    // A file that matches no repository (a typo'd glob) would delete every hook of ours: refused even below the limit.
    massDelete: risky > limit || (risky > 0 && input.desired.targets.length === 0)
      ? { deletes: risky, ours, limit, reason: input.desired.targets.length === 0 ? 'matches-nothing' : 'too-many' }
      : null,
    complete,
    problems,
    counts: { create: count('create'), update: count('update'), delete: deletes, rotate: count('rotate'), foreign: foreign.length },
  };
}
