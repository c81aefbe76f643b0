// Gitea failures as domain errors whose messages tell an operator which setting to fix.
// Built from the status and Gitea's own `message`; never from request headers, so the token
// cannot end up in a message (the client also scrubs it, in case a server echoes it back).
import type { HookTarget } from './types.ts';

export type GiteaErrorKind =
  | 'unauthorized' // 401: the token is wrong or expired
  | 'forbidden' // 403: the token lacks a scope or its user lacks admin rights
  | 'webhooks-disabled' // 403 "webhooks disabled by administrator" ([security] DISABLE_WEBHOOKS)
  | 'not-found' // 404
  | 'invalid' // 400/422: Gitea refused the request body
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'network' // connection refused, DNS, reset
  | 'timeout' // no answer within gitea.timeout
  | 'aborted' // the caller gave up (shutdown): never retried
  | 'incomplete' // a listing did not add up to X-Total-Count
  | 'unexpected'; // any other status

/** What the call was about, so the message can name the repository or org and the scope it needs. */
export interface CallContext {
  method: string;
  path: string;
  /** The hook target (hook calls) or owner (repo listings) the call is about. */
  target?: HookTarget;
  owner?: string;
  hookId?: number;
}

export class GiteaError extends Error {
  readonly kind: GiteaErrorKind;
  readonly status: number | null;
  readonly retryable: boolean;
  /** A 403 for a token scope: the scope(s) Gitea asked for, any one of which would do. */
  readonly missingScopes: readonly string[];
  constructor(kind: GiteaErrorKind, message: string, status: number | null = null, missingScopes: readonly string[] = []) {
    super(message);
    this.name = 'GiteaError';
    this.kind = kind;
    this.status = status;
    this.retryable = kind === 'rate-limited' || kind === 'server' || kind === 'network' || kind === 'timeout';
    this.missingScopes = missingScopes;
  }
}

/**
 * Gitea's scope refusal (`tokenRequiresScopes`): "token does not have at least one of required
 * scope(s), required=[read:organization], token scope=write:repository" (1.22 and later) or
 * "...: [write:repository]" (1.19–1.21). Null for any other message.
 */
export function parseScopeRefusal(message: string): { required: string[]; has: string | null } | null {
  const m = /required scope\(s\)(?:, required=|: )\[([^\]]*)\](?:, token scope=(.*))?$/.exec(message.trim());
  if (!m) return null;
  const required = (m[1] ?? '').split(/[\s,]+/).filter(Boolean);
  return required.length ? { required, has: m[2]?.trim() || null } : null;
}

/** What the call was for, in an operator's words. */
function purpose(ctx: CallContext): string {
  if (isHookCall(ctx)) return `managing the hooks of ${where(ctx)}`;
  if (ctx.owner) return `listing the repositories of ${ctx.owner}`;
  return `${ctx.method} ${ctx.path.replace(/\?.*$/, '')} on ${where(ctx)}`;
}

function where(ctx: CallContext): string {
  if (ctx.target?.kind === 'repo') return ctx.target.repo;
  if (ctx.target?.kind === 'org') return ctx.target.org;
  return ctx.owner ?? 'Gitea';
}

function isHookCall(ctx: CallContext): boolean {
  return /\/hooks(\/|$)/.test(ctx.path);
}

/** The GiteaError for an HTTP answer that was not 2xx. `serverMessage` is Gitea's `message` field. */
export function errorForStatus(status: number, serverMessage: string, ctx: CallContext): GiteaError {
  const call = `${ctx.method} ${ctx.path}`;
  const said = serverMessage ? `: ${serverMessage}` : '';
  if (status === 401) return new GiteaError('unauthorized', `Gitea rejected the token (gitea.token)${said}`, status);
  if (status === 403) {
    if (/webhooks? (are |is )?disabled/i.test(serverMessage)) {
      return new GiteaError('webhooks-disabled', 'webhooks disabled by administrator: Gitea refuses every hook ([security] DISABLE_WEBHOOKS = true on the Gitea server)', status);
    }
    const scope = parseScopeRefusal(serverMessage);
    if (scope) {
      const has = scope.has ? ` (it has ${scope.has})` : '';
      return new GiteaError('forbidden', `gitea.token lacks the scope ${scope.required.join(' or ')}${has}, which ${purpose(ctx)} needs: give the token that scope`, status, scope.required);
    }
    if (isHookCall(ctx) && ctx.target?.kind === 'org') {
      return new GiteaError('forbidden', `the token's user may not manage the hooks of ${ctx.target.org}: org hooks need an owner of the organisation${said}`, status);
    }
    if (isHookCall(ctx)) {
      return new GiteaError('forbidden', `the token's user may not manage the hooks of ${where(ctx)}: repository hooks need an admin of the repository${said}`, status);
    }
    return new GiteaError('forbidden', `the token may not read ${where(ctx)} (${call})${said}`, status);
  }
  if (status === 404) {
    if (ctx.hookId !== undefined) return new GiteaError('not-found', `hook #${ctx.hookId} on ${where(ctx)} not found (deleted meanwhile, or the ${ctx.target?.kind === 'org' ? 'organisation' : 'repository'} is gone)`, status);
    if (ctx.target?.kind === 'repo') return new GiteaError('not-found', `repository ${ctx.target.repo} not found on Gitea (or the token cannot see it)`, status);
    if (ctx.target?.kind === 'org') return new GiteaError('not-found', `organisation ${ctx.target.org} not found on Gitea (or the token cannot see it)`, status);
    if (ctx.owner) return new GiteaError('not-found', `owner ${ctx.owner} not found on Gitea (neither an organisation nor a user the token can see)`, status);
    return new GiteaError('not-found', `Gitea answered 404 for ${call}`, status);
  }
  if (status === 400 || status === 422) return new GiteaError('invalid', `Gitea refused ${call} for ${where(ctx)}${said}`, status);
  if (status === 429) return new GiteaError('rate-limited', `Gitea rate-limited ${call} (429)`, status);
  if (status >= 500) return new GiteaError('server', `Gitea answered ${status} for ${call}${said}`, status);
  return new GiteaError('unexpected', `Gitea answered ${status} for ${call}${said}`, status);
}

/** Gitea's error bodies are `{message, url}`; anything else yields no message. */
export function serverMessageOf(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
    return ((body as { message: string }).message).slice(0, 300);
  }
  return '';
}
