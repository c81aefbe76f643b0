// monitor.yaml → the hooks that should exist: each `repos[].match` glob expanded over its owner's
// repositories (every page, checked against X-Total-Count), excludes applied; `scope: org` gives
// the owner one org hook instead of one per repository. Reads Gitea, writes nothing.
import picomatch from 'picomatch';
import type { Config } from '../config/config.ts';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import { GiteaError } from '../adapters/gitea/errors.ts';
import { listAll } from '../adapters/gitea/paginate.ts';
import { plainOwner } from '../config/globs.ts';
import { targetKey, type GiteaRepo, type HookBody, type HookTarget } from '../adapters/gitea/types.ts';

export interface DeclaredRepo {
  repo: string;
  /** targetKey of the hook that covers it (its own, or its owner's org hook). */
  target: string;
}

export interface Desired {
  publicUrl: string;
  /** The one body every hook of ours carries (no secret: that is added when creating). */
  body: HookBody;
  targets: HookTarget[];
  declared: DeclaredRepo[];
  /** False when an owner's listing failed or did not add up: the desired set may be missing repos. */
  complete: boolean;
  problems: string[];
  /** Owners whose repositories could not be listed, with the error (health shows them). */
  unlisted: Array<{ owner: string; error: string }>;
}

export type RepoLister = Pick<GiteaClient, 'listOwnerRepos'>;

export function desiredBody(webhook: Config['webhook']): HookBody {
  return {
    type: 'gitea',
    config: { url: webhook.publicUrl, content_type: webhook.contentType },
    events: [...webhook.events],
    branch_filter: webhook.branchFilter,
    // Not configurable: always sent empty so a header someone added by hand is removed.
    authorization_header: '',
    active: true,
  };
}

/** An owner's repositories: as an organisation, or (404) as a user. */
export async function listOwnerRepositories(client: RepoLister, owner: string): Promise<GiteaRepo[]> {
  try {
    return await listAll((p, l) => client.listOwnerRepos(owner, 'org', p, l), `repositories of ${owner}`);
  } catch (err) {
    if (!(err instanceof GiteaError) || err.kind !== 'not-found') throw err;
  }
  return listAll((p, l) => client.listOwnerRepos(owner, 'user', p, l), `repositories of ${owner}`);
}

const GLOB = { nocase: true, dot: true };


export async function expandDesired(config: Pick<Config, 'webhook' | 'repos'>, client: RepoLister): Promise<Desired> {
  const problems: string[] = [];
  const owners = new Map<string, { orgScope: boolean }>();
  config.repos.forEach((rule, i) => {
    const owner = plainOwner(rule.match);
    if (owner === null) {
      problems.push(`repos[${i}].match "${rule.match}": the owner part must be a plain name, not a glob`);
      return;
    }
    const seen = owners.get(owner) ?? { orgScope: false };
    seen.orgScope ||= rule.scope === 'org';
    owners.set(owner, seen);
  });

  // Owners are listed in parallel; the client bounds the calls in flight.
  const listings = new Map<string, GiteaRepo[] | null>();
  const unlisted: Desired['unlisted'] = [];
  await Promise.all(
    [...owners.keys()].map(async (owner) => {
      try {
        listings.set(owner, await listOwnerRepositories(client, owner));
      } catch (err) {
        listings.set(owner, null);
        unlisted.push({ owner, error: (err as Error).message });
        problems.push(`cannot list the repositories of ${owner}: ${(err as Error).message}`);
      }
    }),
  );

  const declared = new Map<string, string>();
  const targets = new Map<string, HookTarget>();
  // An org hook is wanted even while the owner has no matching repository: it covers future ones.
  for (const [owner, { orgScope }] of owners) {
    if (orgScope) targets.set(targetKey({ kind: 'org', org: owner }), { kind: 'org', org: owner });
  }
  config.repos.forEach((rule) => {
    const owner = plainOwner(rule.match);
    const repos = owner === null ? null : listings.get(owner);
    if (owner === null || !repos) return;
    // Gitea owner and repository names are case-insensitive: the same options as the receiver's routing.
    const isMatch = picomatch(rule.match, GLOB);
    const isExcluded = rule.exclude.length > 0 ? picomatch(rule.exclude, GLOB) : () => false;
    // An org hook already delivers every repository of the owner: per-repo hooks beside it would
    // deliver each push twice, so one org-scoped rule puts the whole owner on the org hook.
    const orgTarget: HookTarget | null = owners.get(owner)?.orgScope ? { kind: 'org', org: owner } : null;
    for (const r of repos) {
      if (!isMatch(r.full_name) || isExcluded(r.full_name)) continue;
      const target: HookTarget = orgTarget ?? { kind: 'repo', repo: r.full_name };
      targets.set(targetKey(target), target);
      declared.set(r.full_name, targetKey(target));
    }
  });

  return {
    publicUrl: config.webhook.publicUrl,
    body: desiredBody(config.webhook),
    targets: [...targets.values()],
    declared: [...declared].map(([repo, target]) => ({ repo, target })).sort((a, b) => a.repo.localeCompare(b.repo)),
    complete: problems.length === 0,
    problems,
    unlisted,
  };
}
