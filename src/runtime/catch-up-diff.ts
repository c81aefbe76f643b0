// Pure: what Gitea shows now (branches, tags, releases) against what the records hold, as the
// changes to announce and the refs to record silently. Before a repository has a baseline (a full
// listing recorded once), unknown refs are recorded, not announced: they may be years old.
import type { GiteaBranch, GiteaRelease, GiteaTag } from '../adapters/gitea/types.ts';
import { BASELINE_KEY, SEEN_PREFIX, bareRef, isBranchKey, releaseKey, tagKey } from '../pipeline/ref-keys.ts';

export interface RemoteRefs {
  branches: GiteaBranch[];
  tags: GiteaTag[];
  releases: GiteaRelease[];
}

export type Change =
  | { kind: 'moved'; branch: GiteaBranch; before: string }
  | { kind: 'created'; branch: GiteaBranch }
  | { kind: 'deleted'; branch: string; before: string }
  | { kind: 'tagged'; tag: GiteaTag }
  | { kind: 'released'; release: GiteaRelease };

export function diffRefs(known: Record<string, string>, remote: RemoteRefs): { changes: Change[]; record: Array<[string, string]> } {
  const baselined = known[BASELINE_KEY] !== undefined;
  const changes: Change[] = [];
  const record: Array<[string, string]> = [];
  for (const b of remote.branches) {
    const before = bareRef(known[b.name]);
    if (before === undefined) {
      if (baselined) changes.push({ kind: 'created', branch: b });
      // Seen, not announced: a live push to this head still pending in the inbox must go out.
      else record.push([b.name, SEEN_PREFIX + b.commit.id]);
    } else if (before !== b.commit.id) changes.push({ kind: 'moved', branch: b, before });
  }
  const names = new Set(remote.branches.map((b) => b.name));
  for (const [key, before] of Object.entries(known)) if (isBranchKey(key) && !names.has(key)) changes.push({ kind: 'deleted', branch: key, before: bareRef(before)! });
  const released = new Set<string>();
  for (const r of remote.releases) {
    if (r.draft || known[releaseKey(r.tag_name)] !== undefined) continue;
    if (baselined) (changes.push({ kind: 'released', release: r }), released.add(r.tag_name));
    else record.push([releaseKey(r.tag_name), SEEN_PREFIX + r.id]);
  }
  for (const t of remote.tags) {
    if (known[tagKey(t.name)] !== undefined) continue;
    // A new tag with a new release: the release says it (one notice, as for live deliveries).
    if (baselined && !released.has(t.name)) changes.push({ kind: 'tagged', tag: t });
    else record.push([tagKey(t.name), SEEN_PREFIX + t.commit.sha]);
  }
  if (!baselined) record.push([BASELINE_KEY, 'complete']);
  return { changes, record };
}
