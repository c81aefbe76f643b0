// Matrix rejects events over 65,536 bytes (the whole event as JSON, envelope included). We keep the
// content itself under 60,000 bytes, leaving room for the envelope (cf. hookshot), and when a render
// is too large we cut it deterministically instead of failing the send.
import { escapeHtml, textToHtml } from './html.ts';

export const MAX_CONTENT_BYTES = 60_000;
export const TRUNCATED_MARKER = '…(truncated)';

/** UTF-8 size of the content as the homeserver will see it. */
export function contentBytes(content: object): number {
  return Buffer.byteLength(JSON.stringify(content), 'utf8');
}

export function fits(content: object, limit: number = MAX_CONTENT_BYTES): boolean {
  return contentBytes(content) <= limit;
}

/** First `n` UTF-16 units of `s`, one fewer when that would split a surrogate pair. */
export function cutString(s: string, n: number): string {
  if (n >= s.length) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/**
 * The last resort when even the smallest render is too large: the plain text cut to the longest
 * prefix that fits, with a marker, and as HTML that same text escaped (links kept, so no tag is
 * ever cut in half and the HTML stays well-formed). `make` builds the content from (body, formatted_body).
 */
export function truncateToFit<T extends object>(
  body: string,
  make: (body: string, formattedBody: string) => T,
  limit: number = MAX_CONTENT_BYTES,
): T {
  const whole = make(body, textToHtml(body));
  if (fits(whole, limit)) return whole;
  const build = (n: number): T => {
    const cut = cutString(body, n).trimEnd();
    return make(`${cut}\n${TRUNCATED_MARKER}`, `${textToHtml(cut)}<br>${escapeHtml(TRUNCATED_MARKER)}`);
  };
  // Size grows with n, so binary search for the longest prefix that fits.
  let lo = 0;
  let hi = body.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(build(mid), limit)) lo = mid;
    else hi = mid - 1;
  }
  return build(lo);
}
