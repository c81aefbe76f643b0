// Pure routing: which rooms does a delivery go to, by the `repos` rules (match/exclude globs,
// announced events, branch globs)? A repo may match several rules; their rooms are united.
import picomatch from 'picomatch';
import type { AnnouncedEvent, RepoRule } from '../config/config.ts';

export interface RouteFacts {
  repo: string; // owner/name
  event: AnnouncedEvent;
  refType: 'branch' | 'tag';
  refName: string;
}

export type RouteResult = { rooms: string[] } | { rooms: []; ignored: string };

interface CompiledRule {
  rule: RepoRule;
  index: number;
  match: (s: string) => boolean;
  exclude: (s: string) => boolean;
  branch: (s: string) => boolean;
}

export interface RouteTable {
  rules: CompiledRule[];
}

const OPTS = { nocase: true, dot: true };

export function compileRoutes(rules: readonly RepoRule[]): RouteTable {
  return {
    rules: rules.map((rule, index) => ({
      rule,
      index,
      match: picomatch(rule.match, OPTS),
      exclude: rule.exclude.length ? picomatch(rule.exclude, OPTS) : () => false,
      // Branch globs follow Gitea's branch_filter (gobwas glob without separators): `*` also matches `/`.
      branch: picomatch(rule.branches.length ? rule.branches : ['*'], { dot: true, bash: true }),
    })),
  };
}

/** True when some rule declares the repository (ignoring event and branch filters). */
export function isDeclared(table: RouteTable, repo: string): boolean {
  return table.rules.some((r) => r.match(repo) && !r.exclude(repo));
}

export function route(table: RouteTable, f: RouteFacts): RouteResult {
  const rooms = new Set<string>();
  let reason: string | null = null;
  const matching = table.rules.filter((r) => r.match(f.repo));
  if (!matching.length) return { rooms: [], ignored: `repository ${f.repo} is not declared in repos` };
  for (const r of matching) {
    if (r.exclude(f.repo)) {
      reason ??= `repository ${f.repo} is excluded by repos[${r.index}].exclude`;
      continue;
    }
    if (r.rule.events && !r.rule.events.includes(f.event)) {
      reason = `event "${f.event}" is not announced for ${f.repo} (repos[${r.index}].events)`;
      continue;
    }
    if (f.refType === 'branch' && f.event !== 'release' && !r.branch(f.refName)) {
      reason = `branch "${f.refName}" does not match repos[${r.index}].branches`;
      continue;
    }
    for (const room of r.rule.notify) rooms.add(room);
  }
  return rooms.size ? { rooms: [...rooms] } : { rooms: [], ignored: reason ?? `nothing routes ${f.repo}` };
}
