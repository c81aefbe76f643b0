// Token scopes as Gitea checks them (models/auth/access_token_scope.go, routers/api/v1/api.go
// `tokenRequiresScopes`): a route group names a category; GET needs read:<category>, POST, PUT,
// PATCH and DELETE need write:<category>; write implies read; `all` grants every category at write
// level; `public-only` narrows, it grants nothing. A token without the scope gets 403 with
// "token does not have at least one of required scope(s), required=[...], token scope=...".

/** The categories of models/auth/access_token_scope.go. */
export const SCOPE_CATEGORIES = ['activitypub', 'admin', 'misc', 'notification', 'organization', 'package', 'issue', 'repository', 'user'] as const;
export type ScopeCategory = (typeof SCOPE_CATEGORIES)[number];

/** A token's scope as Gitea stores it: comma-separated, e.g. "write:repository,read:organization". */
export type TokenScope = string;

/** Every read scope: what a "read-only" token holds. */
export const READ_ALL: TokenScope = SCOPE_CATEGORIES.map((c) => `read:${c}`).join(',');

function levelOf(scope: TokenScope, category: ScopeCategory): 0 | 1 | 2 {
  let level: 0 | 1 | 2 = 0;
  for (const raw of scope.split(',')) {
    const s = raw.trim();
    if (s === 'all') return 2;
    if (s === `write:${category}`) level = 2;
    else if (s === `read:${category}` && level < 1) level = 1;
  }
  return level;
}

/** The scope the request lacks, or null when the token may make it. */
export function missingScope(scope: TokenScope, method: string, category: ScopeCategory): string | null {
  const write = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase());
  const required = `${write ? 'write' : 'read'}:${category}`;
  return levelOf(scope, category) >= (write ? 2 : 1) ? null : required;
}

/** Gitea's message, `fmt.Sprintf("... required=%v, token scope=%v", requiredScopes, scope)`. */
export function scopeMessage(required: string, scope: TokenScope): string {
  return `token does not have at least one of required scope(s), required=[${required}], token scope=${scope}`;
}
