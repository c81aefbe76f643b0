// The Gitea webhook payloads this daemon reads (modules/structs/hook.go, v1.25.4), only the fields
// it uses, and the JSON Schemas that check them at the edge. Unknown extra fields are allowed:
// Gitea and Forgejo add fields between versions.

export interface PayloadUser { name: string; email: string; username: string }
export interface GiteaUser { id: number; login: string; full_name?: string; html_url?: string; username?: string }
export interface PayloadCommit {
  id: string;
  message: string;
  url: string;
  author: PayloadUser;
  committer?: PayloadUser;
  timestamp: string;
  added?: string[] | null;
  removed?: string[] | null;
  modified?: string[] | null;
}
export interface Repository {
  id: number;
  name: string;
  full_name: string;
  html_url: string;
  default_branch?: string;
  owner: GiteaUser;
  private?: boolean;
}
export interface PushPayload {
  ref: string;
  before: string;
  after: string;
  compare_url: string;
  commits: PayloadCommit[] | null;
  total_commits?: number;
  head_commit: PayloadCommit | null;
  repository: Repository;
  pusher: GiteaUser;
  sender: GiteaUser;
}
export interface CreatePayload { sha: string; ref: string; ref_type: 'branch' | 'tag'; repository: Repository; sender: GiteaUser }
export interface DeletePayload { ref: string; ref_type: 'branch' | 'tag'; pusher_type?: string; repository: Repository; sender: GiteaUser }
export interface Release {
  id: number;
  tag_name: string;
  target_commitish?: string;
  name: string;
  body?: string;
  html_url: string;
  draft?: boolean;
  prerelease?: boolean;
  author?: GiteaUser;
}
export interface ReleasePayload { action: string; release: Release; repository: Repository; sender: GiteaUser }

export type EventPayload =
  | { event: 'push'; payload: PushPayload }
  | { event: 'create'; payload: CreatePayload }
  | { event: 'delete'; payload: DeletePayload }
  | { event: 'release'; payload: ReleasePayload };

export const SUPPORTED_EVENTS = ['push', 'create', 'delete', 'release'] as const;
export type SupportedEvent = (typeof SUPPORTED_EVENTS)[number];

const sha = { type: 'string', pattern: '^([0-9a-f]{40}|[0-9a-f]{64})$' };
const str = { type: 'string' };
const user = { type: 'object', required: ['login'], properties: { id: { type: 'integer' }, login: str, full_name: str, html_url: str } };
const payloadUser = { type: 'object', required: ['name'], properties: { name: str, email: str, username: str } };
const commit = {
  type: 'object',
  required: ['id', 'message', 'url', 'author'],
  properties: { id: str, message: str, url: str, author: payloadUser, committer: payloadUser, timestamp: str },
};
const repository = {
  type: 'object',
  required: ['name', 'full_name', 'html_url', 'owner'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string', minLength: 1 },
    full_name: { type: 'string', pattern: '^[^/]+/[^/]+$' },
    html_url: str,
    default_branch: str,
    owner: user,
  },
};

/** JSON Schemas (draft 2020-12) of the supported events, compiled once by the parser. */
export const PAYLOAD_SCHEMAS: Record<SupportedEvent, object> = {
  push: {
    type: 'object',
    required: ['ref', 'before', 'after', 'commits', 'repository', 'pusher'],
    properties: {
      ref: { type: 'string', minLength: 1 },
      before: sha,
      after: sha,
      compare_url: str,
      commits: { anyOf: [{ type: 'array', items: commit }, { type: 'null' }] },
      total_commits: { type: 'integer', minimum: 0 },
      head_commit: { anyOf: [commit, { type: 'null' }] },
      repository,
      pusher: user,
      sender: user,
    },
  },
  create: {
    type: 'object',
    required: ['ref', 'ref_type', 'repository', 'sender'],
    properties: { sha: str, ref: { type: 'string', minLength: 1 }, ref_type: { enum: ['branch', 'tag'] }, repository, sender: user },
  },
  delete: {
    type: 'object',
    required: ['ref', 'ref_type', 'repository', 'sender'],
    properties: { ref: { type: 'string', minLength: 1 }, ref_type: { enum: ['branch', 'tag'] }, repository, sender: user },
  },
  release: {
    type: 'object',
    required: ['action', 'release', 'repository', 'sender'],
    properties: {
      action: str,
      release: {
        type: 'object',
        required: ['tag_name', 'html_url'],
        properties: { id: { type: 'integer' }, tag_name: { type: 'string', minLength: 1 }, name: str, body: str, html_url: str, draft: { type: 'boolean' }, prerelease: { type: 'boolean' }, author: user },
      },
      repository,
      sender: user,
    },
  },
};
