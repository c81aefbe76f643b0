// Per declared repository, the state of its hook for /webhook/health: `ready` once our hook
// exists and matches AND a signed delivery from it was verified (the receiver calls
// markVerified), `pending` while it matches but has not proven itself, `error` with the last error.
import { targetKey, targetLabel } from '../adapters/gitea/types.ts';
import type { PassResult } from './run.ts';
import type { RightsProblem } from './rights.ts';

export type HookState = 'ready' | 'pending' | 'error';

export interface RepoHookStatus {
  repo: string;
  hook: HookState;
  detail: string;
}

export interface HookStatus {
  /** Feed a finished pass. */
  recordPass(result: PassResult): void;
  /** A pass that failed as a whole (e.g. the token was rejected): every repo shows the error. */
  recordFailure(error: string): void;
  /** The token's rights to manage hooks, per kind of target (checked at start and after a token change). */
  recordRights?(problems: RightsProblem[]): void;
  /** The receiver verified a signed delivery for this repository. */
  markVerified(repo: string): void;
  list(): RepoHookStatus[];
}

export function createHookStatus(): HookStatus {
  let declared = new Map<string, string>(); // repo → targetKey
  let targetErrors = new Map<string, string>(); // targetKey → last error
  const verified = new Set<string>(); // targetKey
  const early = new Set<string>(); // repos verified before any pass told us their target
  let passError: string | null = null;
  let rights = new Map<string, string>(); // 'repo' | 'org' → the refusal

  const targetOf = (repo: string): string | null => {
    const t = declared.get(repo);
    if (t) return t;
    // An org hook delivers for every repository of its owner, declared or not.
    const org = targetKey({ kind: 'org', org: repo.split('/')[0] ?? '' });
    return [...declared.values()].includes(org) ? org : null;
  };

  return {
    recordPass(result) {
      passError = null;
      declared = new Map(result.desired.declared.map((d) => [d.repo, d.target]));
      targetErrors = new Map();
      for (const l of result.listed) {
        if (l.hooks === null) targetErrors.set(targetKey(l.target), `cannot list the hooks of ${targetLabel(l.target)}: ${l.error ?? 'unknown error'}`);
      }
      for (const repo of early) {
        const t = targetOf(repo);
        if (t) verified.add(t);
      }
      early.clear();
      for (const o of result.apply.outcomes) {
        const key = targetKey(o.action.target);
        if (o.status === 'failed' && o.action.kind !== 'delete') targetErrors.set(key, o.error ?? 'failed');
        // A new hook has delivered nothing yet: it must prove itself again.
        if (o.createdId !== undefined) verified.delete(key);
      }
      const wanted = new Set(declared.values());
      for (const key of [...verified]) if (!wanted.has(key)) verified.delete(key);
    },
    recordRights(problems) {
      rights = new Map(problems.map((p) => [p.kind, p.error]));
    },
    recordFailure(error) {
      passError = error;
    },
    markVerified(repo) {
      const t = targetOf(repo);
      if (t) verified.add(t);
      else early.add(repo);
    },
    list() {
      return [...declared]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([repo, key]): RepoHookStatus => {
          const error = passError ?? targetErrors.get(key) ?? rights.get(key.startsWith('org:') ? 'org' : 'repo');
          if (error) return { repo, hook: 'error', detail: error };
          const via = key.startsWith('org:') ? 'org hook' : 'hook';
          return verified.has(key)
            ? { repo, hook: 'ready', detail: `${via} matches; a signed delivery was verified` }
            : { repo, hook: 'pending', detail: `${via} matches; waiting for a signed delivery` };
        });
    },
  };
}
