// Git activity: each function changes the repository the way a `git push` (or the release UI)
// would, then queues the events Gitea emits for it, in Gitea's order (services/repository/push.go,
// services/release/release.go).
import type { Delivery } from './deliver.ts';
import type { Dispatcher } from './dispatch.ts';
import type { EventTask } from './payloads.ts';
import { compareUrl, createTask, deleteTask, newBranchPushTask, pushTask, releaseTask } from './payloads.ts';
import type { Account, Commit, CommitSpec, Repo, World } from './world.ts';
import { ZERO_SHA, addCommits, commitSpecs, history, newObjectId, requireRepo, upsertAccount } from './world.ts';

export interface ActivityDeps {
  world: World;
  dispatcher: Dispatcher;
  /** ROOT_URL with its trailing slash. */
  root: () => string;
  /** Login used when an activity names no pusher. */
  defaultPusher: string;
}

export type CommitsOption = number | CommitSpec[];

function pusherOf(deps: ActivityDeps, login: string | undefined): Account {
  return upsertAccount(deps.world, login ?? deps.defaultPusher, false);
}

function specs(commits: CommitsOption | undefined, fallback: number, label: string): CommitSpec[] {
  if (Array.isArray(commits)) return commits;
  return commitSpecs(commits ?? fallback, label);
}

/** A branch that did not exist: `create` is queued before the push, which lists up to 10 commits. */
function pushNewBranch(deps: ActivityDeps, repo: Repo, branch: string, base: string | null, commits: CommitSpec[], pusher: Account): Promise<Delivery[]> {
  const { world } = deps;
  const made = addCommits(world, repo, base, commits, pusher);
  const head = made[0]?.id ?? base;
  if (head === null) throw new Error(`gitea sandbox: new branch ${branch} of ${repo.name} needs a commit`);
  repo.branches.set(branch, head);
  if (repo.empty) repo.empty = false;
  repo.updated = world.now();
  const ref = `refs/heads/${branch}`;
  const tasks = [createTask(deps.root(), repo, ref, head, pusher), newBranchPushTask(deps.root(), repo, branch, history(world, head, 10), pusher)];
  return deps.dispatcher.fire(repo, tasks);
}

export function push(deps: ActivityDeps, repoName: string, opts: { branch?: string; commits?: CommitsOption; pusher?: string } = {}): Promise<Delivery[]> {
  const repo = requireRepo(deps.world, repoName);
  const branch = opts.branch ?? repo.defaultBranch;
  const pusher = pusherOf(deps, opts.pusher);
  const commits = specs(opts.commits, 1, `Change on ${branch}`);
  const before = repo.branches.get(branch);
  if (before === undefined) {
    const base = repo.branches.get(repo.defaultBranch) ?? null;
    return pushNewBranch(deps, repo, branch, base, commits, pusher);
  }
  if (commits.length === 0) throw new Error('gitea sandbox: a push to an existing branch needs at least one commit');
  const made = addCommits(deps.world, repo, before, commits, pusher);
  const head = made[0] as Commit;
  repo.branches.set(branch, head.id);
  repo.updated = deps.world.now();
  const task = pushTask(deps.root(), repo, {
    ref: `refs/heads/${branch}`,
    before,
    after: head.id,
    compareUrl: compareUrl(deps.root(), repo, before, head.id),
    commits: made,
    headCommit: head,
    pusher,
  });
  return deps.dispatcher.fire(repo, [task]);
}

/**
 * `git push --force` that moves a branch back to one of its own ancestors: `git rev-list old..new`
 * is empty, so the push lists no commit (total 0) and head_commit is the new head (pushUpdateBranch).
 */
export function forcePush(deps: ActivityDeps, repoName: string, branch: string, to: string, opts: { pusher?: string } = {}): Promise<Delivery[]> {
  const repo = requireRepo(deps.world, repoName);
  const before = repo.branches.get(branch);
  if (before === undefined) throw new Error(`gitea sandbox: no branch ${branch} in ${repoName}`);
  const head = deps.world.commits.get(to);
  if (!head || !history(deps.world, before, Number.MAX_SAFE_INTEGER).some((c) => c.id === to)) throw new Error(`gitea sandbox: ${to} is not an ancestor of ${branch} in ${repoName}`);
  repo.branches.set(branch, to);
  repo.updated = deps.world.now();
  const task = pushTask(deps.root(), repo, {
    ref: `refs/heads/${branch}`, before, after: to, compareUrl: compareUrl(deps.root(), repo, before, to), commits: [], headCommit: head, pusher: pusherOf(deps, opts.pusher),
  });
  return deps.dispatcher.fire(repo, [task]);
}

export function createBranch(deps: ActivityDeps, repoName: string, branch: string, opts: { from?: string; commits?: CommitsOption; pusher?: string } = {}): Promise<Delivery[]> {
  const repo = requireRepo(deps.world, repoName);
  if (repo.branches.has(branch)) throw new Error(`gitea sandbox: branch ${branch} already exists in ${repoName}`);
  const from = opts.from ?? repo.defaultBranch;
  const base = repo.branches.get(from) ?? (deps.world.commits.has(from) ? from : null);
  if (base === null) throw new Error(`gitea sandbox: cannot branch from ${from} in ${repoName}`);
  return pushNewBranch(deps, repo, branch, base, specs(opts.commits, 0, `Change on ${branch}`), pusherOf(deps, opts.pusher));
}

/** Branch deletion sends ONLY a `delete` event: pushDeleteBranch never notifies a push. */
export function deleteBranch(deps: ActivityDeps, repoName: string, branch: string, opts: { pusher?: string } = {}): Promise<Delivery[]> {
  const repo = requireRepo(deps.world, repoName);
  if (!repo.branches.has(branch)) throw new Error(`gitea sandbox: no branch ${branch} in ${repoName}`);
  if (branch === repo.defaultBranch) throw new Error(`gitea sandbox: Gitea refuses to delete the default branch ${branch}`);
  repo.branches.delete(branch);
  return deps.dispatcher.fire(repo, [deleteTask(deps.root(), repo, `refs/heads/${branch}`, pusherOf(deps, opts.pusher))]);
}

function tagPushTask(deps: ActivityDeps, repo: Repo, tag: string, objectId: string, commitId: string, pusher: Account): EventTask {
  const head = deps.world.commits.get(commitId) ?? null;
  return pushTask(deps.root(), repo, {
    ref: `refs/tags/${tag}`,
    before: ZERO_SHA,
    after: objectId,
    compareUrl: compareUrl(deps.root(), repo, ZERO_SHA, objectId),
    commits: [],
    headCommit: head,
    pusher,
  });
}

function targetCommit(deps: ActivityDeps, repo: Repo, target: string | undefined): string {
  const ref = target ?? repo.defaultBranch;
  const id = repo.branches.get(ref) ?? (deps.world.commits.has(ref) ? ref : undefined);
  if (id === undefined) throw new Error(`gitea sandbox: nothing to tag at ${ref} in ${repo.name}`);
  return id;
}

/** `git push origin <annotated tag>`: push (no commits, head = tagged commit), then create; never a release. */
export function pushTag(deps: ActivityDeps, repoName: string, tag: string, opts: { pusher?: string; target?: string; objectId?: string } = {}): Promise<Delivery[]> {
  const repo = requireRepo(deps.world, repoName);
  if (repo.tags.has(tag)) throw new Error(`gitea sandbox: tag ${tag} already exists in ${repoName}`);
  const pusher = pusherOf(deps, opts.pusher);
  const commitId = targetCommit(deps, repo, opts.target);
  const objectId = opts.objectId ?? newObjectId(deps.world, `tag ${repoName} ${tag}`);
  repo.tags.set(tag, { name: tag, objectId, commitId });
  const ref = `refs/tags/${tag}`;
  return deps.dispatcher.fire(repo, [tagPushTask(deps, repo, tag, objectId, commitId, pusher), createTask(deps.root(), repo, ref, objectId, pusher)]);
}

/** Tag deletion: push with zero `after`, null head and the bare ROOT_URL as compare_url, then delete. */
export function deleteTag(deps: ActivityDeps, repoName: string, tag: string, opts: { pusher?: string } = {}): Promise<Delivery[]> {
  const repo = requireRepo(deps.world, repoName);
  const existing = repo.tags.get(tag);
  if (!existing) throw new Error(`gitea sandbox: no tag ${tag} in ${repoName}`);
  repo.tags.delete(tag);
  const pusher = pusherOf(deps, opts.pusher);
  const ref = `refs/tags/${tag}`;
  const push = pushTask(deps.root(), repo, { ref, before: existing.objectId, after: ZERO_SHA, compareUrl: deps.root(), commits: [], headCommit: null, pusher });
  return deps.dispatcher.fire(repo, [push, deleteTask(deps.root(), repo, ref, pusher)]);
}

export interface ReleaseOptions { name?: string; body?: string; prerelease?: boolean; pusher?: string; target?: string; id?: number }

/** A release with a new (lightweight) tag: push, create, then release `published`; an existing tag only gets the release. */
export function publishRelease(deps: ActivityDeps, repoName: string, tag: string, opts: ReleaseOptions = {}): Promise<Delivery[]> {
  const { world } = deps;
  const repo = requireRepo(world, repoName);
  const publisher = pusherOf(deps, opts.pusher);
  const tasks: EventTask[] = [];
  if (!repo.tags.has(tag)) {
    const commitId = targetCommit(deps, repo, opts.target);
    repo.tags.set(tag, { name: tag, objectId: commitId, commitId });
    tasks.push(tagPushTask(deps, repo, tag, commitId, commitId, publisher), createTask(deps.root(), repo, `refs/tags/${tag}`, commitId, publisher));
  }
  const id = opts.id ?? world.seq.release + 1;
  world.seq.release = Math.max(world.seq.release, id);
  const release = {
    id,
    tagName: tag,
    target: opts.target ?? repo.defaultBranch,
    name: opts.name ?? tag,
    body: opts.body ?? '',
    prerelease: opts.prerelease ?? false,
    created: world.now(),
    publisherId: publisher.id,
  };
  repo.releases.push(release);
  tasks.push(releaseTask(deps.root(), repo, release, publisher, 'published'));
  return deps.dispatcher.fire(repo, tasks);
}
