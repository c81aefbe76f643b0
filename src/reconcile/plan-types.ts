// The Plan value: what `monitor plan` prints, what `monitor apply` and the daemon carry out.
// It holds no secret (the body has none; rotations say only that the secret rotates).
import type { HookBody, HookTarget } from '../adapters/gitea/types.ts';

export type FieldName = 'url' | 'events' | 'active' | 'content_type' | 'branch_filter' | 'authorization_header';

/** One field of a hook that differs; values are display strings (authorization headers masked). */
export interface FieldChange {
  field: FieldName;
  before: string;
  after: string;
}

export interface CreateAction { kind: 'create'; target: HookTarget }
export interface UpdateAction { kind: 'update'; target: HookTarget; hookId: number; changes: FieldChange[] }
/** `replaced`: the old hook of a secret rotation whose replacement exists; not counted as a mass deletion. */
export interface DeleteAction { kind: 'delete'; target: HookTarget; hookId: number; reason: 'undeclared' | 'duplicate' | 'replaced' }
/** Make-before-break: create a hook with the current secret, then delete `hookId` (unless deletions are held back). */
export interface RotateAction { kind: 'rotate'; target: HookTarget; hookId: number; deleteOld: boolean }
export type PlanAction = CreateAction | UpdateAction | DeleteAction | RotateAction;

/** A hook on a target we look at whose URL is not ours: reported, never touched. `url` is scheme +
 * host + a short hash (see foreignUrl): the path and query may hold tokens. */
export interface ForeignHook { target: HookTarget; hookId: number; url: string; type: string }

/** A hook whose state record changes without a Gitea call. */
export interface StateRecordRef { target: HookTarget; hookId: number }

export type HoldReason = 'incomplete-listing' | 'prune-disabled';

export interface Plan {
  publicUrl: string;
  body: HookBody;
  actions: PlanAction[];
  foreign: ForeignHook[];
  /** Ours on Gitea but unknown to the state (state lost, or made by hand): record the current
   * secret's fingerprint, do not rotate. */
  adopt: StateRecordRef[];
  /** Remembered hooks that are no longer on Gitea (or no longer ours): drop the records. */
  forget: StateRecordRef[];
  /** Deletions that are not in `actions` and why. */
  heldBack: { reasons: HoldReason[]; deletes: DeleteAction[] };
  /** Set when the deletions (replaced hooks aside) exceed max(3, 25 % of our hooks), or when monitor.yaml
   * matches no repository and any hook of ours would go: apply refuses them without allowMassDelete. */
  massDelete: { deletes: number; ours: number; limit: number; reason: 'too-many' | 'matches-nothing' } | null;
  /** Every owner and every hook target was listed in full. */
  complete: boolean;
  problems: string[];
  counts: { create: number; update: number; delete: number; rotate: number; foreign: number };
}

export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0;
}
