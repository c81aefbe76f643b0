// What the `digest` template sees: the notices a rate-limit window held back, merged into one.
// Items arrive oldest first and share one repo.
//
// Variables (README lists these):
//   repo            { full_name, name, owner, url } (as for a single notice)
//   pushes          number of pushes of commits to branches (kinds push and branch_created)
//   pushes_word     "push" or "pushes"
//   notices         number of merged notices of any kind
//   total_commits   sum of the pushes' total_commits (Gitea's real counts, not the listed ones)
//   commits_word    "commit" or "commits"
//   pushers         logins of everyone involved, in order of first appearance
//   branches        branches pushed to, in order of first appearance
//   others          one short phrase per other change: "tagged v1.2", "deleted branch x",
//                   "released 1.2 (v1.2)", "created branch y" (duplicates merged)
//   commits         the newest commits across all pushes, newest first, up to 10: { id, short, url, title, author }
//   more            total_commits - commits.size (0 when all are listed)
//   compare_url     one link: oldest before -> newest after when every push went to one branch,
//                   else the newest push's compare link ('' when there is none)
//   items           each merged notice's own context (see context.ts), oldest first
import type { NoticeItem } from '../events/notice-item.ts';
import { commitContext, commitsWord, safeUrl, templateContext, type CommitContext, type NoticeContext } from './context.ts';

export const MAX_DIGEST_COMMITS = 10;

export interface DigestContext {
  repo: NoticeContext['repo'];
  pushes: number;
  pushes_word: string;
  notices: number;
  total_commits: number;
  commits_word: string;
  pushers: string[];
  branches: string[];
  others: string[];
  commits: CommitContext[];
  more: number;
  compare_url: string;
  items: NoticeContext[];
}

const isPush = (i: NoticeItem): boolean => i.kind === 'push' || i.kind === 'branch_created';
const unique = (xs: string[]): string[] => [...new Set(xs)];

function otherPhrase(i: NoticeItem): string | null {
  switch (i.kind) {
    case 'tag_pushed':
      return `tagged ${i.ref_name}`;
    case 'tag_deleted':
      return `deleted tag ${i.ref_name}`;
    case 'branch_deleted':
      return `deleted branch ${i.ref_name}`;
    case 'branch_created':
      return `created branch ${i.ref_name}`;
    case 'created':
      return i.ref_type === 'tag' ? `tagged ${i.ref_name}` : `created branch ${i.ref_name}`;
    case 'release': {
      const r = i.release;
      if (!r) return `released ${i.ref_name}`;
      return `released ${r.name}${r.name !== r.tag ? ` (${r.tag})` : ''}${r.prerelease ? ' (pre-release)' : ''}`;
    }
    case 'test':
      return 'test delivery';
    case 'catch_up': {
      const what = i.change && i.change !== 'push' && i.change !== 'catch_up' ? otherPhrase({ ...i, kind: i.change }) : `${i.ref_name} moved`;
      return `${what} while the monitor was offline`;
    }
    case 'push':
      return null;
  }
}

const COMPARE_TAIL = /^(.*\/compare\/.+\.\.\.)([0-9a-f]{40}|[0-9a-f]{64})$/;
const real = (s: string | null): s is string => !!s && !/^0+$/.test(s);

/** One compare link for the whole digest (see the header). */
export function digestCompareUrl(items: readonly NoticeItem[]): string {
  const pushes = items.filter(isPush);
  const newest = pushes.at(-1);
  if (!newest) return safeUrl(items.findLast((i) => safeUrl(i.compare_url) !== '')?.compare_url);
  const oldest = pushes[0] ?? newest;
  const oneBranch = pushes.every((p) => p.ref === newest.ref);
  if (oneBranch && real(newest.after)) {
    // Reuse Gitea's own URL (its AppURL and, for a new branch, its base) and move the end to the newest head.
    const m = COMPARE_TAIL.exec(oldest.compare_url ?? '');
    if (m) return safeUrl(m[1] + newest.after);
    if (real(oldest.before)) return safeUrl(`${oldest.repo.html_url}/compare/${oldest.before}...${newest.after}`);
  }
  return safeUrl(pushes.findLast((p) => safeUrl(p.compare_url) !== '')?.compare_url);
}

export function digestContext(items: NoticeItem[]): DigestContext {
  const first = items[0];
  if (!first) throw new Error('a digest needs at least one notice');
  const pushes = items.filter(isPush);
  const total = pushes.reduce((n, p) => n + p.total_commits, 0);
  const seen = new Set<string>();
  const commits: CommitContext[] = [];
  for (const item of [...items].reverse()) {
    if (!isPush(item)) continue;
    for (const c of item.commits) {
      if (commits.length >= MAX_DIGEST_COMMITS) break;
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      commits.push(commitContext(c));
    }
  }
  return {
    repo: templateContext(first).repo,
    pushes: pushes.length,
    pushes_word: pushes.length === 1 ? 'push' : 'pushes',
    notices: items.length,
    total_commits: total,
    commits_word: commitsWord(total),
    pushers: unique(items.map((i) => i.actor)),
    branches: unique(pushes.map((p) => p.ref_name)),
    others: unique(items.map(otherPhrase).filter((p): p is string => p !== null)),
    commits,
    more: Math.max(0, total - commits.length),
    compare_url: digestCompareUrl(items),
    items: items.map((i) => templateContext(i)),
  };
}
