// The slice of Gitea's REST shapes (FACTS.md §4) that reconcile reads and writes.

/** A hook as Gitea returns it: the secret is never included, authorization_header is (in clear). */
export interface GiteaHook {
  id: number;
  type: string;
  config: Record<string, string | undefined>;
  events: string[];
  branch_filter?: string;
  authorization_header?: string;
  active: boolean;
  created_at?: string;
  updated_at?: string;
}

export interface GiteaRepo {
  id: number;
  name: string;
  full_name: string;
  owner?: { login: string };
  empty?: boolean;
  archived?: boolean;
  default_branch?: string;
}

export interface GiteaBranch {
  name: string;
  /** The head as a PayloadCommit (message, and author/committer with the Gitea `username`). */
  commit: { id: string; message?: string; url?: string; author?: { name: string; email: string; username?: string }; committer?: { name: string; email: string; username?: string } };
}

/** A tag: `id` is the tag object (annotated) or the commit; `commit.sha` is always the commit. */
export interface GiteaTag {
  name: string;
  id: string;
  commit: { sha: string };
}

/** A release as the API (and the release webhook) shows it. */
export interface GiteaRelease {
  id: number;
  tag_name: string;
  name: string;
  html_url: string;
  draft: boolean;
  prerelease: boolean;
  author?: { id: number; login: string };
  [field: string]: unknown;
}

/** One commit of `GET /repos/{o}/{r}/compare/{base}...{head}`. */
export interface GiteaCommit {
  sha: string;
  html_url: string;
  commit: { message: string; author: { name: string; email: string; date?: string }; committer: { name: string; email: string } };
  author: { login: string } | null;
  committer: { login: string } | null;
}

/** What we ask Gitea for: the full state every time (PATCH is not a partial update). No secret here. */
export interface HookBody {
  type: 'gitea';
  config: { url: string; content_type: 'json' | 'form' };
  events: string[];
  branch_filter: string;
  authorization_header: string;
  active: true;
}

/** Where a hook lives: on one repository, or on an owner (org) covering all its repositories. */
export type HookTarget = { kind: 'repo'; repo: string } | { kind: 'org'; org: string };

/** One page of a listing with Gitea's X-Total-Count (null when the header is missing). */
export interface Page<T> {
  items: T[];
  total: number | null;
}

export function targetKey(t: HookTarget): string {
  return t.kind === 'repo' ? `repo:${t.repo}` : `org:${t.org}`;
}

export function targetLabel(t: HookTarget): string {
  return t.kind === 'repo' ? t.repo : `${t.org} (org hook)`;
}

export function parseTargetKey(key: string): HookTarget | null {
  const m = /^(repo|org):(.+)$/.exec(key);
  if (!m) return null;
  if (m[1] === 'repo') return /^[^/]+\/[^/]+$/.test(m[2]!) ? { kind: 'repo', repo: m[2]! } : null;
  return m[2]!.includes('/') ? null : { kind: 'org', org: m[2]! };
}
