// Ownership is URL equality: a hook is ours only if its config.url is webhook.public_url once both
// are normalised (scheme/host case, default port, trailing slash, fragment).
import { createHash } from 'node:crypto';

export function normaliseUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim());
    u.hash = '';
    u.pathname = u.pathname.replace(/\/+$/, '') || '/';
    return u.href;
  } catch {
    return null;
  }
}

export function sameUrl(a: string | undefined | null, b: string | undefined | null): boolean {
  const na = normaliseUrl(a);
  return na !== null && na === normaliseUrl(b);
}

/** A URL safe to print: credentials and query (where tokens tend to hide) removed. */
export function displayUrl(raw: string | undefined | null): string {
  if (!raw) return '(no url)';
  try {
    const u = new URL(raw.trim());
    const hidden = u.username || u.password || u.search ? ' [credentials/query hidden]' : '';
    return `${u.protocol}//${u.host}${u.pathname}${hidden}`;
  } catch {
    return '(unparsable url)';
  }
}

/**
 * A foreign hook's URL as `plan` shows it: scheme and host only, plus a short hash of the whole URL
 * so two hooks to one host can be told apart. Never the path or query: Telegram bot tokens and
 * Discord/Slack webhook tokens live there, and plan output ends up in CI logs.
 */
export function foreignUrl(raw: string | undefined | null): string {
  if (!raw) return '(no url)';
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  try {
    const u = new URL(raw.trim());
    return `${u.protocol}//${u.host} (url #${hash})`;
  } catch {
    return `(unparsable url #${hash})`;
  }
}
