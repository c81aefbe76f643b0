// What a template sees for one NoticeItem. Plain data only (the engine reads own properties), every
// URL already checked to be http(s) (anything else becomes ''), missing values '' rather than null
// so `{% if x != blank %}` reads naturally.
//
// Variables (README lists these):
//   kind            push | branch_created | branch_deleted | tag_pushed | tag_deleted | release | test | created
//   event           the Gitea event: push | create | delete | release
//   repo            { full_name, name, owner, url }
//   actor, pusher   login of who pushed (the sender for other events); both names hold the same value
//   ref             full ref (refs/heads/main) when known, else the short name
//   ref_name        branch or tag name;  ref_type: branch | tag;  ref_url: its page on Gitea
//   branch, tag     ref_name when it is a branch (resp. a tag), else ''
//   before, after   full shas ('' when unknown or all zeros);  before_short, after_short: 7 characters
//   total_commits   the real number of commits pushed (Gitea lists at most 5 of them)
//   change          catch_up only: what was found (push = moved, branch_created, branch_deleted, tag_pushed, release)
//   forced          true for a push that moved a branch back (a force-push with no new commit)
//   commits_word    "commit" or "commits", agreeing with total_commits
//   commits         up to 5 listed commits, newest first: { id, short, url, title, author }
//                   (title = first line of the message, author = author's name)
//   more            commits not listed: total_commits - commits.size (0 when all are listed)
//   compare_url     Gitea's compare page for the push ('' when there is none)
//   release         { tag, name, url, prerelease } for a release, else nil
import type { CommitLine, NoticeItem } from '../events/notice-item.ts';

/** Commits listed in one notice; the rest are counted in `more`. */
export const MAX_LISTED_COMMITS = 5;

export interface CommitContext {
  id: string;
  short: string;
  url: string;
  title: string;
  author: string;
}

export interface NoticeContext {
  kind: string;
  event: string;
  repo: { full_name: string; name: string; owner: string; url: string };
  actor: string;
  pusher: string;
  ref: string;
  ref_name: string;
  ref_type: 'branch' | 'tag';
  ref_url: string;
  branch: string;
  tag: string;
  before: string;
  after: string;
  before_short: string;
  after_short: string;
  total_commits: number;
  forced: boolean;
  change: string;
  commits_word: string;
  commits: CommitContext[];
  more: number;
  compare_url: string;
  release: { tag: string; name: string; url: string; prerelease: boolean } | null;
}

/** `u` when it is an absolute http(s) URL, else '' (so no template can link to javascript: etc.). */
export function safeUrl(u: string | null | undefined): string {
  return typeof u === 'string' && /^https?:\/\/[^\s]+$/i.test(u) ? u : '';
}

function sha(s: string | null): string {
  return s && !/^0+$/.test(s) ? s : '';
}

/** A push to an existing branch with no new commit: the branch was force-pushed back to `after`. */
export function isRewind(item: Pick<NoticeItem, 'kind' | 'total_commits' | 'commits' | 'after'>): boolean {
  return item.kind === 'push' && item.total_commits === 0 && item.commits.length === 0 && sha(item.after) !== '';
}

export function commitsWord(n: number): string {
  return n === 1 ? 'commit' : 'commits';
}

export function commitContext(c: CommitLine): CommitContext {
  return { id: c.id, short: c.short || c.id.slice(0, 7), url: safeUrl(c.url), title: c.title, author: c.author };
}

/** Commits to list (newest first) and how many more there are, given the real total. */
export function listCommits(all: readonly CommitLine[], total: number, max: number): { commits: CommitContext[]; more: number } {
  const commits = all.slice(0, max).map(commitContext);
  return { commits, more: Math.max(0, Math.max(total, all.length) - commits.length) };
}

export function templateContext(item: NoticeItem, maxCommits: number = MAX_LISTED_COMMITS): NoticeContext {
  const before = sha(item.before);
  const after = sha(item.after);
  const { commits, more } = listCommits(item.commits, item.total_commits, maxCommits);
  const r = item.release;
  return {
    kind: item.kind,
    event: item.event,
    repo: { full_name: item.repo.full_name, name: item.repo.name, owner: item.repo.owner, url: safeUrl(item.repo.html_url) },
    actor: item.actor,
    pusher: item.actor,
    ref: item.ref,
    ref_name: item.ref_name,
    ref_type: item.ref_type,
    ref_url: safeUrl(item.ref_url),
    branch: item.ref_type === 'branch' ? item.ref_name : '',
    tag: item.ref_type === 'tag' ? item.ref_name : '',
    before,
    after,
    before_short: before.slice(0, 7),
    after_short: after.slice(0, 7),
    total_commits: item.total_commits,
    forced: isRewind(item),
    change: item.change ?? '',
    commits_word: commitsWord(item.total_commits),
    commits,
    more,
    compare_url: safeUrl(item.compare_url),
    release: r ? { tag: r.tag, name: r.name || r.tag, url: safeUrl(r.url), prerelease: r.prerelease } : null,
  };
}
