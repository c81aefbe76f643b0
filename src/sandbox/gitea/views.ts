// The JSON shapes of Gitea's structs (modules/structs, services/convert at v1.25.4), built as
// plain objects whose key insertion order IS the Go field order, because payload bytes are signed.
import { createHash } from 'node:crypto';
import { GO_ZERO_TIME, goTime } from './go-encoding.ts';
import type { Account, Commit, Release, Repo, Signature, World } from './world.ts';
import { fullName } from './world.ts';

/**
 * How a user is rendered (services/convert/user.go): `placeholder` is ToUser(u, nil) as used for
 * pushers and senders; `real` shows the real email (ToUserWithAccessMode with access); `authed` is
 * what the user or a site admin sees about themself.
 */
export type UserView = 'placeholder' | 'real' | 'authed';

/** Repository permission the payload was built with: AccessModeOwner or AccessModeNone. */
export type RepoAccess = 'owner' | 'none';

function avatarUrl(root: string, account: Account): string {
  return `${root}avatars/${createHash('md5').update(account.login.toLowerCase()).digest('hex')}`;
}

export function userJson(root: string, account: Account, view: UserView): Record<string, unknown> {
  const authed = view === 'authed';
  return {
    id: account.id,
    login: account.login,
    login_name: '',
    source_id: 0,
    full_name: account.fullName,
    email: view === 'placeholder' ? `${account.login.toLowerCase()}@noreply.localhost` : account.email,
    avatar_url: avatarUrl(root, account),
    html_url: `${root}${encodeURIComponent(account.login)}`,
    language: '',
    is_admin: authed && account.isAdmin,
    last_login: authed ? goTime(account.created) : GO_ZERO_TIME,
    created: goTime(account.created),
    restricted: false,
    active: authed,
    prohibit_login: false,
    location: '',
    website: '',
    description: '',
    visibility: 'public',
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
    username: account.login,
  };
}

export function organizationJson(root: string, org: Account): Record<string, unknown> {
  return {
    id: org.id,
    name: org.login,
    full_name: org.fullName,
    email: org.email,
    avatar_url: avatarUrl(root, org),
    description: '',
    website: '',
    location: '',
    visibility: 'public',
    repo_admin_change_team_access: false,
    username: org.login,
  };
}

export function repoJson(root: string, repo: Repo, access: RepoAccess): Record<string, unknown> {
  const name = fullName(repo);
  const granted = access === 'owner';
  return {
    id: repo.id,
    owner: userJson(root, repo.owner, granted ? 'real' : 'placeholder'),
    name: repo.name,
    full_name: name,
    description: repo.description,
    empty: repo.empty,
    private: repo.private,
    fork: false,
    template: false,
    mirror: false,
    size: repo.size,
    language: '',
    languages_url: `${root}api/v1/repos/${name}/languages`,
    html_url: `${root}${name}`,
    url: `${root}api/v1/repos/${name}`,
    link: '',
    ssh_url: `git@${new URL(root).hostname}:${name}.git`,
    clone_url: `${root}${name}.git`,
    original_url: '',
    website: '',
    stars_count: 0,
    forks_count: 0,
    watchers_count: 1,
    open_issues_count: 0,
    open_pr_counter: 0,
    release_counter: repo.releases.length,
    default_branch: repo.defaultBranch,
    archived: false,
    created_at: goTime(repo.created),
    updated_at: goTime(repo.updated),
    archived_at: '1970-01-01T00:00:00Z',
    permissions: { admin: granted, push: granted, pull: granted },
    has_code: true,
    has_issues: true,
    internal_tracker: { enable_time_tracker: true, allow_only_contributors_to_track_time: true, enable_issue_dependencies: true },
    has_wiki: true,
    has_pull_requests: true,
    has_projects: true,
    projects_mode: 'all',
    has_releases: true,
    has_packages: true,
    has_actions: true,
    ignore_whitespace_conflicts: false,
    allow_merge_commits: true,
    allow_rebase: true,
    allow_rebase_explicit: true,
    allow_squash_merge: true,
    allow_fast_forward_only_merge: true,
    allow_rebase_update: true,
    allow_manual_merge: true,
    autodetect_manual_merge: false,
    default_delete_branch_after_merge: false,
    default_merge_style: 'merge',
    default_allow_maintainer_edit: false,
    avatar_url: '',
    internal: false,
    mirror_interval: '',
    object_format_name: 'sha1',
    mirror_updated: GO_ZERO_TIME,
    topics: [],
    licenses: [],
  };
}

const signatureJson = (s: Signature) => ({ name: s.name, email: s.email, username: s.username });

/** The verification the API fills for an unsigned commit (push payloads always carry null). */
const UNSIGNED = { verified: false, reason: 'gpg.error.not_signed_commit', signature: '', signer: null, payload: '' };

/**
 * PayloadCommit. `api` is how the API renders a commit (hook test, branch list): verification
 * filled and the file lists left nil, because those code paths never compute them.
 */
export function payloadCommitJson(root: string, repo: Repo, c: Commit, style: 'push' | 'api' = 'push'): Record<string, unknown> {
  const api = style === 'api';
  return {
    id: c.id,
    message: c.message,
    url: `${root}${fullName(repo)}/commit/${c.id}`,
    author: signatureJson(c.author),
    committer: signatureJson(c.committer),
    verification: api ? UNSIGNED : null,
    timestamp: c.timestamp,
    added: api ? null : c.added,
    removed: api ? null : c.removed,
    modified: api ? null : c.modified,
  };
}

export function branchJson(root: string, world: World, repo: Repo, name: string): Record<string, unknown> {
  const head = world.commits.get(repo.branches.get(name) ?? '');
  return {
    name,
    commit: head ? payloadCommitJson(root, repo, head, 'api') : null,
    protected: false,
    required_approvals: 0,
    enable_status_check: false,
    status_check_contexts: [],
    user_can_push: true,
    user_can_merge: true,
    effective_branch_protection_name: '',
  };
}

export function releaseJson(root: string, repo: Repo, release: Release, publisher: Account): Record<string, unknown> {
  const name = fullName(repo);
  const created = goTime(release.created);
  return {
    id: release.id,
    tag_name: release.tagName,
    target_commitish: release.target,
    name: release.name,
    body: release.body,
    url: `${root}api/v1/repos/${name}/releases/${release.id}`,
    html_url: `${root}${name}/releases/tag/${release.tagName}`,
    tarball_url: `${root}${name}/archive/${release.tagName}.tar.gz`,
    zipball_url: `${root}${name}/archive/${release.tagName}.zip`,
    upload_url: `${root}api/v1/repos/${name}/releases/${release.id}/assets`,
    draft: false,
    prerelease: release.prerelease,
    created_at: created,
    published_at: created,
    author: userJson(root, publisher, 'placeholder'),
    assets: [],
  };
}
