// Webhook payloads exactly as Gitea v1.25.4 stores them (modules/structs/hook.go JSONPayload,
// services/webhook/notifier.go, services/repository/push.go): field order, which repository and
// user views each event uses, and the byte format (2-space indent; 1-space for `repository`).
import { marshalIndent } from './go-encoding.ts';
import { shortRefName } from './glob.ts';
import type { Account, Commit, Release, Repo } from './world.ts';
import { ZERO_SHA, fullName } from './world.ts';
import { payloadCommitJson, releaseJson, repoJson, userJson } from './views.ts';

/** An event ready to fan out to hooks: its type, the stored payload bytes, and the ref the branch filter sees. */
export interface EventTask { event: string; payload: string; ref: string | null }

/** `[ui] FEED_MAX_COMMIT_NUM`: how many commits a push payload lists. */
export const FEED_MAX_COMMIT_NUM = 5;

export interface PushInput {
  ref: string;
  before: string;
  after: string;
  compareUrl: string;
  /** Newest first, not yet truncated. */
  commits: Commit[];
  headCommit: Commit | null;
  pusher: Account;
}

export function compareUrl(root: string, repo: Repo, before: string, after: string): string {
  return `${root}${fullName(repo)}/compare/${before}...${after}`;
}

export function pushTask(root: string, repo: Repo, input: PushInput): EventTask {
  const payload = {
    ref: input.ref,
    before: input.before,
    after: input.after,
    compare_url: input.compareUrl,
    commits: input.commits.slice(0, FEED_MAX_COMMIT_NUM).map((c) => payloadCommitJson(root, repo, c)),
    total_commits: input.commits.length,
    head_commit: input.headCommit ? payloadCommitJson(root, repo, input.headCommit) : null,
    repository: repoJson(root, repo, 'owner'),
    pusher: userJson(root, input.pusher, 'placeholder'),
    sender: userJson(root, input.pusher, 'placeholder'),
  };
  return { event: 'push', payload: marshalIndent(payload, '  '), ref: input.ref };
}

/**
 * The new-branch push (`pushNewBranch`): up to 10 commits from the new head even if they already
 * exist elsewhere; compare against the oldest listed commit's parent, else the default branch.
 */
export function newBranchPushTask(root: string, repo: Repo, branch: string, listed: Commit[], pusher: Account): EventTask {
  const head = listed[0] as Commit;
  const oldest = listed[listed.length - 1] as Commit;
  const base = oldest.parent ?? (branch !== repo.defaultBranch ? repo.defaultBranch : null);
  return pushTask(root, repo, {
    ref: `refs/heads/${branch}`,
    before: ZERO_SHA,
    after: head.id,
    compareUrl: base === null ? root : compareUrl(root, repo, base, head.id),
    commits: listed,
    headCommit: head,
    pusher,
  });
}

/** The API test delivery (`TestHook`): before == after == the commit, verification filled, AccessModeNone views. */
export function testPushTask(root: string, repo: Repo, ref: string, commit: Commit, doer: Account): EventTask {
  const c = payloadCommitJson(root, repo, commit, 'api');
  const payload = {
    ref,
    before: commit.id,
    after: commit.id,
    compare_url: compareUrl(root, repo, commit.id, commit.id),
    commits: [c],
    total_commits: 1,
    head_commit: c,
    repository: repoJson(root, repo, 'none'),
    pusher: userJson(root, doer, 'placeholder'),
    sender: userJson(root, doer, 'placeholder'),
  };
  return { event: 'push', payload: marshalIndent(payload, '  '), ref };
}

/** `CreateRef`: short ref name (Gitea's FIXME), repository rendered with AccessModeNone. */
export function createTask(root: string, repo: Repo, fullRef: string, sha: string, sender: Account): EventTask {
  const payload = {
    sha,
    ref: shortRefName(fullRef),
    ref_type: fullRef.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository: repoJson(root, repo, 'none'),
    sender: userJson(root, sender, 'placeholder'),
  };
  return { event: 'create', payload: marshalIndent(payload, '  '), ref: fullRef };
}

export function deleteTask(root: string, repo: Repo, fullRef: string, sender: Account): EventTask {
  const payload = {
    ref: shortRefName(fullRef),
    ref_type: fullRef.startsWith('refs/tags/') ? 'tag' : 'branch',
    pusher_type: 'user',
    repository: repoJson(root, repo, 'owner'),
    sender: userJson(root, sender, 'placeholder'),
  };
  return { event: 'delete', payload: marshalIndent(payload, '  '), ref: fullRef };
}

export function releaseTask(root: string, repo: Repo, release: Release, publisher: Account, action: 'published' | 'updated' | 'deleted'): EventTask {
  const payload = {
    action,
    release: releaseJson(root, repo, release, publisher),
    repository: repoJson(root, repo, 'owner'),
    sender: userJson(root, publisher, 'placeholder'),
  };
  return { event: 'release', payload: marshalIndent(payload, '  '), ref: null };
}

/** RepositoryPayload is the one event Gitea marshals with a 1-space indent. */
export function repositoryTask(root: string, repo: Repo, doer: Account, action: 'created' | 'deleted'): EventTask {
  const payload = {
    action,
    repository: repoJson(root, repo, 'owner'),
    organization: userJson(root, repo.owner, 'placeholder'),
    sender: userJson(root, doer, 'placeholder'),
  };
  return { event: 'repository', payload: marshalIndent(payload, ' '), ref: null };
}
