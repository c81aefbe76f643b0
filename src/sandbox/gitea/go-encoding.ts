// Byte-level encodings that must match what Gitea v1.25.4 (Go, json-iterator in standard-library
// mode) produces, because receivers HMAC the exact bytes: a one-byte difference breaks signatures.

// JSON.stringify already produces Go's layout ("key": value, `[]` / `{}` for empty containers).
// What differs is string escaping: Go escapes HTML characters and U+2028/U+2029, writes \b and \f
// as \u0008 / \u000c (json-iterator), and has replaced invalid UTF-8 with U+FFFD long before
// encoding, where JavaScript would write a lone surrogate as an escape. The scan consumes escaped
// backslashes pairwise, so a literal backslash followed by "b" is never mistaken for \b.
const GO_FIXUPS = /\\(\\|b|f|ud[89a-f][0-9a-f]{2})|[<>&\u2028\u2029]/g;

function goEscape(json: string): string {
  return json.replace(GO_FIXUPS, (match: string, escaped: string | undefined) => {
    if (escaped === undefined) return `\\u${match.charCodeAt(0).toString(16).padStart(4, '0')}`;
    if (escaped === '\\') return match;
    if (escaped === 'b') return '\\u0008';
    if (escaped === 'f') return '\\u000c';
    return '\\ufffd';
  });
}

/** `json.MarshalIndent(v, "", indent)`: Gitea's stored webhook PayloadContent (no trailing newline). */
export function marshalIndent(value: unknown, indent: string): string {
  return goEscape(JSON.stringify(value, null, indent));
}

/** `json.NewEncoder(w).Encode(v)`: what Gitea's API writes (compact, trailing newline). */
export function encodeCompact(value: unknown): string {
  return `${goEscape(JSON.stringify(value))}\n`;
}

/** Go's `url.QueryEscape` (used by `url.Values.Encode`): only A-Z a-z 0-9 - _ . ~ stay, space is `+`. */
export function goQueryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** A database timestamp as Go renders it in UTC: whole seconds, `Z` suffix. */
export function goTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Go's zero `time.Time`, which Gitea prints for never-set times such as `last_login`. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
