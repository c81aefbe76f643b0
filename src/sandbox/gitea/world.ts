// The stand-in's state: accounts, repositories and a tiny linear git model (commits, branches,
// tags, releases). Only data and the git changes; webhooks and HTTP live elsewhere.
import { createHash } from 'node:crypto';
import { goTime } from './go-encoding.ts';
import type { StoredHook } from './hooks.ts';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

export interface Account {
  id: number;
  login: string;
  fullName: string;
  email: string;
  isOrg: boolean;
  isAdmin: boolean;
  created: Date;
}

export interface Signature { name: string; email: string; username: string }

export interface Commit {
  id: string;
  parent: string | null;
  message: string;
  author: Signature;
  committer: Signature;
  /** RFC 3339 author date with the author's offset, exactly as it appears in payloads. */
  timestamp: string;
  added: string[];
  removed: string[];
  modified: string[];
}

/** One commit to create. Fields beyond `message` let tests replay Gitea's example payloads exactly. */
export interface CommitSpec {
  message: string;
  author?: { name: string; email: string; username?: string };
  committer?: { name: string; email: string; username?: string };
  id?: string;
  timestamp?: string;
  added?: string[];
  removed?: string[];
  modified?: string[];
}

export interface Tag { name: string; objectId: string; commitId: string }

export interface Release {
  id: number;
  tagName: string;
  target: string;
  name: string;
  body: string;
  prerelease: boolean;
  created: Date;
  publisherId: number;
}

export interface Repo {
  id: number;
  owner: Account;
  name: string;
  description: string;
  private: boolean;
  empty: boolean;
  defaultBranch: string;
  size: number;
  created: Date;
  updated: Date;
  branches: Map<string, string>;
  tags: Map<string, Tag>;
  releases: Release[];
}

export interface World {
  now: () => Date;
  accounts: Map<string, Account>;
  repos: Map<string, Repo>;
  commits: Map<string, Commit>;
  /** The webhook table: repository and organization hooks share one id sequence, as in Gitea. */
  hooks: Map<number, StoredHook>;
  seq: { account: number; repo: number; release: number; object: number; hook: number };
  /** `[security] DISABLE_WEBHOOKS`. */
  webhooksDisabled: boolean;
}

export function createWorld(now: () => Date): World {
  return {
    now,
    accounts: new Map(),
    repos: new Map(),
    commits: new Map(),
    hooks: new Map(),
    seq: { account: 0, repo: 0, release: 0, object: 0, hook: 0 },
    webhooksDisabled: false,
  };
}

export function fullName(repo: Repo): string {
  return `${repo.owner.login}/${repo.name}`;
}

export function findAccount(world: World, login: string): Account | undefined {
  return world.accounts.get(login.toLowerCase());
}

export function findRepo(world: World, name: string): Repo | undefined {
  return world.repos.get(name.toLowerCase());
}

export function requireRepo(world: World, name: string): Repo {
  const repo = findRepo(world, name);
  if (!repo) throw new Error(`gitea sandbox: no repository ${name}`);
  return repo;
}

/** Creates the account, or updates the profile fields given for an existing one (same id). */
export function upsertAccount(world: World, login: string, isOrg: boolean, profile: { fullName?: string; email?: string; isAdmin?: boolean } = {}): Account {
  const existing = findAccount(world, login);
  if (existing) {
    if (existing.isOrg !== isOrg) throw new Error(`gitea sandbox: ${login} already exists as ${existing.isOrg ? 'an organization' : 'a user'}`);
    if (profile.fullName !== undefined) existing.fullName = profile.fullName;
    if (profile.email !== undefined) existing.email = profile.email;
    if (profile.isAdmin !== undefined) existing.isAdmin = profile.isAdmin;
    return existing;
  }
  const account: Account = {
    id: ++world.seq.account,
    login,
    fullName: profile.fullName ?? '',
    email: profile.email ?? (isOrg ? '' : `${login.toLowerCase()}@example.com`),
    isOrg,
    isAdmin: profile.isAdmin ?? false,
    created: world.now(),
  };
  world.accounts.set(login.toLowerCase(), account);
  return account;
}

/** A deterministic 40-hex object id: the sha1 of something unique to this world. */
export function newObjectId(world: World, salt: string): string {
  return createHash('sha1').update(`object ${++world.seq.object}\0${salt}`).digest('hex');
}

function signatureFor(world: World, who: { name: string; email: string; username?: string }): Signature {
  // Gitea fills `username` only when a Gitea user owns the email address.
  const owner = [...world.accounts.values()].find((a) => !a.isOrg && a.email.toLowerCase() === who.email.toLowerCase());
  return { name: who.name, email: who.email, username: who.username ?? owner?.login ?? '' };
}

/** Appends commits on top of `parent` (oldest first) and returns them newest first, like `git rev-list`. */
export function addCommits(world: World, repo: Repo, parent: string | null, specs: CommitSpec[], pusher: Account): Commit[] {
  const made: Commit[] = [];
  let tip = parent;
  for (const spec of specs) {
    const defaultAuthor = { name: pusher.fullName || pusher.login, email: pusher.email, username: pusher.login };
    const author = signatureFor(world, spec.author ?? defaultAuthor);
    const timestamp = spec.timestamp ?? goTime(world.now());
    const message = spec.message.endsWith('\n') ? spec.message : `${spec.message}\n`; // git keeps the final newline
    const commit: Commit = {
      id: spec.id ?? newObjectId(world, `${fullName(repo)}\0${tip ?? ''}\0${message}\0${timestamp}`),
      parent: tip,
      message,
      author,
      committer: spec.committer ? signatureFor(world, spec.committer) : author,
      timestamp,
      added: spec.added ?? [],
      removed: spec.removed ?? [],
      modified: spec.modified ?? ['README.md'],
    };
    world.commits.set(commit.id, commit);
    made.unshift(commit);
    tip = commit.id;
  }
  return made;
}

/** Up to `limit` commits reachable from `head`, newest first (`CommitsBeforeLimit`). */
export function history(world: World, head: string, limit: number): Commit[] {
  const out: Commit[] = [];
  let cursor: string | null = head;
  while (cursor !== null && out.length < limit) {
    const commit = world.commits.get(cursor);
    if (!commit) break;
    out.push(commit);
    cursor = commit.parent;
  }
  return out;
}

export function commitSpecs(count: number, label: string): CommitSpec[] {
  return Array.from({ length: count }, (_, i) => ({ message: `${label} ${i + 1}` }));
}

/** Resolves a branch, tag or commit id to a commit id (the API's `ref` parameter). */
export function resolveRef(world: World, repo: Repo, ref: string): string | undefined {
  const short = ref.replace(/^refs\/(heads|tags)\//, '');
  const branch = repo.branches.get(short);
  if (branch) return branch;
  const tag = repo.tags.get(short);
  if (tag) return tag.commitId;
  return world.commits.has(ref) ? ref : undefined;
}
