// Defence in depth for "no secret rendered anywhere": the dashboard shows error texts that come
// from elsewhere (a homeserver's answer, a failed send), and such a text may quote a URL or header
// carrying a token. Every body the dashboard sends passes through here first.
import type { Config } from '../config/config.ts';
import type { Secret } from '../secret.ts';
import { escapeHtml } from './html.ts';

const REDACTED = '[redacted]';
// Shorter values would blank ordinary words; no real token is this short.
const MIN_LENGTH = 6;

export function secretValuesOf(c: Config): string[] {
  const all: Array<Secret | null> = [c.gitea.token, c.webhook.secret, ...c.webhook.previousSecrets, c.matrix.accessToken, c.matrix.login?.password ?? null, c.dashboard.token, ...c.triggers.map((t) => t.secret)];
  const values = all.flatMap((s) => (s ? [s.reveal()] : [])).filter((v) => v.length >= MIN_LENGTH);
  // Every form a value can take in a body: as is, HTML-escaped, JSON-escaped, URL-encoded.
  const forms = values.flatMap((v) => [v, escapeHtml(v), JSON.stringify(v).slice(1, -1), encodeURIComponent(v)]);
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** The same value with every string inside scrubbed (for JSON bodies). */
export function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return scrubText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secrets)])) as T;
  return value;
}
