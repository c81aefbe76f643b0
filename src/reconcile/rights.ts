// Can the token manage the hooks the config wants? Checked when a client is first used (at start,
// and after a reload that changes gitea.url or gitea.token): one probe per kind of hook target
// (repository, organisation), so a missing write scope is reported at once, not months later when
// a new repository or a secret rotation first needs a write. Read scopes need no probe: the
// listings of every pass name a missing one themselves.
import type { GiteaClient } from '../adapters/gitea/client.ts';
import { GiteaError } from '../adapters/gitea/errors.ts';
import type { HookTarget } from '../adapters/gitea/types.ts';

export interface RightsProblem {
  kind: HookTarget['kind'];
  /** The scope(s) Gitea asked for (empty when the refusal was not about a scope). */
  scopes: readonly string[];
  error: string;
}

export async function checkHookRights(client: Pick<GiteaClient, 'checkHookRights'>, targets: HookTarget[]): Promise<RightsProblem[]> {
  const problems: RightsProblem[] = [];
  for (const kind of ['repo', 'org'] as const) {
    const target = targets.find((t) => t.kind === kind);
    if (!target) continue;
    try {
      await client.checkHookRights(target);
    } catch (err) {
      // Only refusals say something about the token; Gitea being down is the pass's business.
      if (!(err instanceof GiteaError) || (err.kind !== 'forbidden' && err.kind !== 'unauthorized' && err.kind !== 'webhooks-disabled')) continue;
      problems.push({ kind, scopes: err.missingScopes, error: err.message });
    }
  }
  return problems;
}
