// Pure: a parsed Gitea event -> the NoticeItem that describes it (FACTS.md §2.2 semantics).
import type { EventPayload, PayloadCommit, Repository } from './payloads.ts';
import type { CommitLine, NoticeItem } from './notice-item.ts';

const ZERO = /^0+$/;
const TITLE_MAX = 300;

export function commitTitle(message: string): string {
  const first = message.replace(/\r\n?/g, '\n').split('\n').find((l) => l.trim() !== '') ?? '';
  const t = first.trim();
  return t.length > TITLE_MAX ? t.slice(0, TITLE_MAX - 1) + '…' : t;
}

function commitLine(c: PayloadCommit): CommitLine {
  return { id: c.id, short: c.id.slice(0, 7), url: c.url, title: commitTitle(c.message), author: c.author?.name || c.author?.username || 'unknown' };
}

function repoOf(r: Repository): NoticeItem['repo'] {
  return { full_name: r.full_name, name: r.name, owner: r.full_name.split('/')[0] ?? r.owner.login, html_url: r.html_url.replace(/\/+$/, '') };
}

function refUrl(repoUrl: string, type: 'branch' | 'tag', name: string): string {
  const path = name.split('/').map(encodeURIComponent).join('/');
  return `${repoUrl}/src/${type}/${path}`;
}

export function shortRef(ref: string): { name: string; type: 'branch' | 'tag' } {
  if (ref.startsWith('refs/heads/')) return { name: ref.slice(11), type: 'branch' };
  if (ref.startsWith('refs/tags/')) return { name: ref.slice(10), type: 'tag' };
  return { name: ref, type: 'branch' };
}

export function classify(e: EventPayload): NoticeItem {
  const base = { release: null, messages: [] as string[] };
  switch (e.event) {
    case 'push': {
      const p = e.payload;
      const repo = repoOf(p.repository);
      const { name, type } = shortRef(p.ref);
      const commits = (p.commits ?? []).map(commitLine);
      const test = p.before === p.after;
      const created = !test && ZERO.test(p.before);
      const deleted = !test && ZERO.test(p.after);
      const kind = test
        ? 'test'
        : type === 'tag'
          ? deleted ? 'tag_deleted' : 'tag_pushed'
          : created ? 'branch_created' : deleted ? 'branch_deleted' : 'push';
      const compare = p.compare_url && !deleted && !created && !test ? p.compare_url : created && p.compare_url && !/\/$/.test(p.compare_url) ? p.compare_url : null;
      return {
        ...base,
        kind,
        event: 'push',
        repo,
        actor: p.pusher?.login || p.sender?.login || 'unknown',
        ref: p.ref,
        ref_name: name,
        ref_type: type,
        ref_url: refUrl(repo.html_url, type, name),
        before: p.before,
        // A pushed annotated tag's `after` is the tag object; head_commit is the commit it points
        // at (services/repository/push.go): show the commit, as `git show` and Gitea's UI do.
        after: kind === 'tag_pushed' && p.head_commit ? p.head_commit.id : p.after,
        total_commits: p.total_commits ?? commits.length,
        commits,
        compare_url: compare,
        // ignore.commit_markers look at the head commit only (what the push leaves the branch at):
        // a marker on an older commit of the push hides nothing.
        messages: [(p.head_commit ?? p.commits?.[0])?.message].filter((m): m is string => typeof m === 'string'),
      };
    }
    case 'create':
    case 'delete': {
      const p = e.payload;
      const repo = repoOf(p.repository);
      const { name } = shortRef(p.ref);
      return {
        ...base,
        kind: e.event === 'create' ? 'created' : p.ref_type === 'branch' ? 'branch_deleted' : 'tag_deleted',
        event: e.event,
        repo,
        actor: p.sender?.login || 'unknown',
        ref: p.ref,
        ref_name: name,
        ref_type: p.ref_type,
        ref_url: refUrl(repo.html_url, p.ref_type, name),
        before: null,
        after: e.event === 'create' ? (e.payload as { sha?: string }).sha ?? null : null,
        total_commits: 0,
        commits: [],
        compare_url: null,
      };
    }
    case 'release': {
      const p = e.payload;
      const repo = repoOf(p.repository);
      const r = p.release;
      return {
        ...base,
        kind: 'release',
        event: 'release',
        repo,
        actor: p.sender?.login || r.author?.login || 'unknown',
        ref: `refs/tags/${r.tag_name}`,
        ref_name: r.tag_name,
        ref_type: 'tag',
        ref_url: refUrl(repo.html_url, 'tag', r.tag_name),
        before: null,
        after: null,
        total_commits: 0,
        commits: [],
        compare_url: null,
        release: { tag: r.tag_name, name: r.name || r.tag_name, url: r.html_url, prerelease: !!r.prerelease },
      };
    }
  }
}
