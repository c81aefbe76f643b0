// The deliveries Gitea would have sent for what catch-up found, in the webhook payload shapes (so
// they take the same path as live ones). Gitea's API does not say who pushed: the pusher is the Gitea
// user who committed the new head (or authored it), so ignore.pushers and the head commit's skip
// marker apply to catch-up too.
import type { GiteaBranch, GiteaCommit, GiteaRelease, GiteaTag } from '../adapters/gitea/types.ts';

const ZERO = '0000000000000000000000000000000000000000';
const nobody = { id: 0, login: '', full_name: '' };

function repository(giteaUrl: string, repo: string) {
  const [owner, name] = repo.split('/') as [string, string];
  const html = `${giteaUrl.replace(/\/+$/, '')}/${repo}`;
  return { html, value: { id: 0, name, full_name: repo, html_url: html, owner: { id: 0, login: owner } } };
}

function payloadCommit(c: GiteaCommit) {
  return {
    id: c.sha, message: c.commit.message, url: c.html_url, timestamp: c.commit.author.date ?? '',
    author: { name: c.commit.author.name, email: c.commit.author.email, username: c.author?.login ?? '' },
    committer: { name: c.commit.committer.name, email: c.commit.committer.email, username: c.committer?.login ?? '' },
  };
}

function branchHead(html: string, b: GiteaBranch) {
  const c = b.commit;
  return {
    id: c.id, message: c.message ?? '', url: c.url ?? `${html}/commit/${c.id}`, timestamp: '',
    author: { name: c.author?.name ?? '', email: c.author?.email ?? '', username: c.author?.username ?? '' },
    committer: { name: c.committer?.name ?? '', email: c.committer?.email ?? '', username: c.committer?.username ?? '' },
  };
}

/** A branch moved (before → head) or appeared (before = zeros); `commits` newest first from compare. */
export function branchPushPayload(giteaUrl: string, repo: string, b: GiteaBranch, before: string | null, compared: { commits: GiteaCommit[]; total: number } | null): string {
  const { html, value } = repository(giteaUrl, repo);
  const listed = (compared?.commits ?? []).map(payloadCommit);
  const head = listed.find((c) => c.id === b.commit.id) ?? branchHead(html, b);
  const login = head.committer.username || head.author.username;
  const from = before ?? ZERO;
  return JSON.stringify({
    ref: `refs/heads/${b.name}`, before: from, after: b.commit.id, compare_url: before ? `${html}/compare/${before}...${b.commit.id}` : '',
    commits: listed.slice(0, 5), total_commits: compared?.total ?? listed.length, head_commit: head,
    repository: value, pusher: { ...nobody, login }, sender: { ...nobody, login },
  });
}

export function branchDeletePayload(giteaUrl: string, repo: string, branch: string): string {
  return JSON.stringify({ ref: branch, ref_type: 'branch', pusher_type: 'user', repository: repository(giteaUrl, repo).value, sender: nobody });
}

/** A tag push: `after` the tag object, head_commit the commit it points at (as Gitea sends). */
export function tagPushPayload(giteaUrl: string, repo: string, t: GiteaTag): string {
  const { html, value } = repository(giteaUrl, repo);
  const head = { id: t.commit.sha, message: '', url: `${html}/commit/${t.commit.sha}`, timestamp: '', author: { name: '', email: '', username: '' } };
  return JSON.stringify({
    ref: `refs/tags/${t.name}`, before: ZERO, after: t.id, compare_url: '', commits: [], total_commits: 0, head_commit: head,
    repository: value, pusher: nobody, sender: nobody,
  });
}

export function releasePayload(giteaUrl: string, repo: string, r: GiteaRelease): string {
  return JSON.stringify({ action: 'published', release: r, repository: repository(giteaUrl, repo).value, sender: r.author ?? nobody });
}
