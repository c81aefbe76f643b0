// Webhook records and the hooks API's rules (routers/api/v1/utils/hook.go at v1.25.4): what
// create accepts, how events expand, what PATCH replaces, and the Hook JSON (services/webhook/general.go).
import { GlobSyntaxError, compileGlob } from './glob.ts';
import { goTime } from './go-encoding.ts';

export type HookTargetType = 'repository' | 'organization';

export interface StoredHook {
  id: number;
  /** Where the hook lives: a repository (`owner/name`) or an organization (`login`). */
  targetType: HookTargetType;
  owner: string;
  type: string;
  url: string;
  contentType: 'json' | 'form';
  /** Test-only view: Gitea never returns it. */
  secret: string;
  /** Enabled internal event keys (HookEvents with value true). */
  events: string[];
  branchFilter: string;
  authorizationHeader: string;
  active: boolean;
  created: Date;
  updated: Date;
}

export const HOOK_TYPES = ['dingtalk', 'discord', 'gitea', 'gogs', 'msteams', 'slack', 'telegram', 'feishu', 'wechatwork', 'packagist', 'matrix'];

const STANDALONE = ['create', 'delete', 'fork', 'push', 'repository', 'wiki', 'release', 'package', 'status', 'workflow_run', 'workflow_job'];
// [internal key, the option name that enables it on its own]; the group name enables all of them.
const ISSUES: Array<[string, string]> = [['issues', 'issues_only'], ['issue_assign', 'issue_assign'], ['issue_label', 'issue_label'], ['issue_milestone', 'issue_milestone'], ['issue_comment', 'issue_comment']];
const PULLS: Array<[string, string]> = [
  ['pull_request', 'pull_request_only'], ['pull_request_assign', 'pull_request_assign'], ['pull_request_label', 'pull_request_label'],
  ['pull_request_milestone', 'pull_request_milestone'], ['pull_request_comment', 'pull_request_comment'],
  ['pull_request_review_approved', 'pull_request_review'], ['pull_request_review_rejected', 'pull_request_review'],
  ['pull_request_review_comment', 'pull_request_review'], ['pull_request_sync', 'pull_request_sync'],
  ['pull_request_review_request', 'pull_request_review_request'],
];

/** `updateHookEvents`: empty means push; names match case-insensitively; unknown names are ignored. */
export function expandEvents(names: string[] | undefined): string[] {
  const wanted = new Set((names?.length ? names : ['push']).map((n) => n.toLowerCase()));
  const out = STANDALONE.filter((e) => wanted.has(e));
  for (const [group, members] of [['issues', ISSUES], ['pull_request', PULLS]] as const) {
    for (const [key, option] of members) if (wanted.has(group) || wanted.has(option)) out.push(key);
  }
  return out;
}

/** A rejected request: the API status and Gitea's message. */
export interface HookApiError { status: number; message: string }

type Body = Record<string, unknown>;

function isValidUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `config` is a Go map[string]string: absent stays undefined, anything else must be string-valued. */
function configMap(value: unknown): { map?: Record<string, string>; error?: HookApiError } {
  if (value === undefined || value === null) return {};
  const valid = typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  return valid ? { map: value as Record<string, string> } : { error: { status: 422, message: 'Config: must be an object of strings' } };
}

/** Binding checks common to create and edit (`binding:"GlobPattern"`, JSON types). */
function bindCommon(body: Body): HookApiError | null {
  if (body.events !== undefined && body.events !== null && (!Array.isArray(body.events) || body.events.some((e) => typeof e !== 'string'))) {
    return { status: 422, message: 'Events: must be an array of strings' };
  }
  for (const key of ['branch_filter', 'authorization_header'] as const) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') return { status: 422, message: `${key}: must be a string` };
  }
  if (body.active !== undefined && body.active !== null && typeof body.active !== 'boolean') return { status: 422, message: 'Active: must be a boolean' };
  try {
    if (typeof body.branch_filter === 'string' && body.branch_filter !== '') compileGlob(body.branch_filter);
  } catch (err) {
    if (err instanceof GlobSyntaxError) return { status: 422, message: 'BranchFilter: GlobPattern' };
    throw err;
  }
  return null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `checkCreateHookOption` + `addHook`: returns the new hook's fields or Gitea's rejection. */
export function parseCreate(body: Body): Omit<StoredHook, 'id' | 'targetType' | 'owner' | 'created' | 'updated'> | HookApiError {
  if (typeof body.type !== 'string' || body.type === '') return { status: 422, message: 'Type: Required' };
  const config = configMap(body.config);
  if (config.error) return config.error;
  const cfg = config.map;
  if (cfg === undefined) return { status: 422, message: 'Config: Required' };
  const bound = bindCommon(body);
  if (bound) return bound;
  if (!HOOK_TYPES.includes(body.type)) return { status: 422, message: `Invalid hook type: ${body.type}` };
  for (const name of ['url', 'content_type']) if (!(name in cfg)) return { status: 422, message: `Missing config option: ${name}` };
  if (cfg.content_type !== 'json' && cfg.content_type !== 'form') return { status: 422, message: 'Invalid content type' };
  if (!isValidUrl(cfg.url ?? '')) return { status: 422, message: 'Invalid url' };
  if (body.type === 'slack' && !cfg.channel) return { status: 422, message: 'Missing config option: channel' };
  return {
    type: body.type,
    url: cfg.url ?? '',
    contentType: cfg.content_type,
    secret: cfg.secret ?? '',
    events: expandEvents(body.events as string[] | undefined),
    branchFilter: str(body.branch_filter),
    authorizationHeader: str(body.authorization_header),
    active: body.active === true,
  };
}

/** `editHook`: not a partial update. events, branch_filter and authorization_header are replaced
 * (omitted = push / "" / removed); config.secret is ignored; `active` changes only when present. */
export function applyEdit(hook: StoredHook, body: Body, now: Date): HookApiError | null {
  const config = configMap(body.config);
  if (config.error) return config.error;
  const bound = bindCommon(body);
  if (bound) return bound;
  const cfg = config.map ?? {};
  if (cfg.url !== undefined && !isValidUrl(cfg.url)) return { status: 422, message: 'Invalid url' };
  if (cfg.content_type !== undefined && cfg.content_type !== 'json' && cfg.content_type !== 'form') return { status: 422, message: 'Invalid content type' };
  if (cfg.url !== undefined) hook.url = cfg.url;
  if (cfg.content_type === 'json' || cfg.content_type === 'form') hook.contentType = cfg.content_type;
  hook.events = expandEvents(body.events as string[] | undefined);
  hook.branchFilter = str(body.branch_filter);
  hook.authorizationHeader = str(body.authorization_header);
  if (typeof body.active === 'boolean') hook.active = body.active;
  hook.updated = now;
  return null;
}

/** `ToHook`: the secret is never included; events come out in Go map order, i.e. shuffled. */
export function hookJson(hook: StoredHook, random: () => number): Record<string, unknown> {
  const events = [...hook.events];
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j] as string, events[i] as string];
  }
  return {
    id: hook.id,
    type: hook.type,
    branch_filter: hook.branchFilter,
    config: { content_type: hook.contentType, url: hook.url },
    events,
    authorization_header: hook.authorizationHeader,
    active: hook.active,
    updated_at: goTime(hook.updated),
    created_at: goTime(hook.created),
  };
}
