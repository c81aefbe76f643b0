// HTML for Matrix `formatted_body`: escaping, text -> HTML (for templates that give no html), and a
// final allow-list pass. The html engine already escapes every {{ }} output, so any tag in a render
// comes from template source; the allow-list pass is what keeps a user's template (or `| raw`)
// inside what Matrix clients render (FACTS A4) and the result well-formed.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** Same escapes as LiquidJS's `escape` filter, so derived and templated HTML read alike. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCT = /[.,;:!?]+$/;

/** Plain text -> escaped HTML: http(s) URLs become links, line breaks become <br>. */
export function textToHtml(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const url = m[0].replace(TRAILING_PUNCT, '');
    const start = m.index;
    out += escapeHtml(text.slice(last, start)) + `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  out += escapeHtml(text.slice(last));
  return out.replace(/\r?\n/g, '<br>');
}

const VOID = new Set(['br', 'hr', 'img']);
/** Tag -> attributes it may keep (Matrix spec's suggested allow-list). */
const ALLOWED: Record<string, readonly string[]> = {
  a: ['href', 'target'],
  span: ['data-mx-bg-color', 'data-mx-color', 'data-mx-spoiler'],
  ol: ['start'],
  code: ['class'],
  div: ['data-mx-maths'],
  img: ['width', 'height', 'alt', 'title', 'src'],
  ...Object.fromEntries(
    'del h1 h2 h3 h4 h5 h6 blockquote p ul sup sub li b i u strong em s hr br table thead tbody tr th td caption pre details summary'
      .split(' ')
      .map((t) => [t, []]),
  ),
};

const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'<>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/;
const ATTR = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attrAllowed(tag: string, name: string, value: string): boolean {
  if (!(ALLOWED[tag] ?? []).includes(name)) return false;
  if (name === 'href') return /^https?:\/\/[^\s]/i.test(value);
  if (name === 'src') return /^mxc:\/\//i.test(value);
  if (name === 'class') return /^language-[\w+#.-]+$/.test(value);
  return true;
}

function rebuild(tag: string, rawAttrs: string): string {
  let attrs = '';
  for (const m of rawAttrs.matchAll(ATTR)) {
    const name = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (attrAllowed(tag, name, value)) attrs += ` ${name}="${value.replace(/"/g, '&#34;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`;
  }
  return `<${tag}${attrs}>`;
}

/**
 * Keeps only allow-listed tags and attributes (http(s) links only), escapes anything else that looks
 * like markup so it shows as text, drops stray closing tags and closes what was left open.
 */
export function sanitizeHtml(html: string): string {
  let out = '';
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const m = TAG.exec(html.slice(lt, lt + 4096));
    const tag = m?.[2]?.toLowerCase();
    if (!m || tag === undefined || !(tag in ALLOWED)) {
      out += '&lt;';
      i = lt + 1;
      continue;
    }
    i = lt + m[0].length;
    if (m[1] === '/') {
      const at = open.lastIndexOf(tag);
      if (at < 0) continue; // stray close: drop it
      while (open.length > at) out += `</${open.pop()}>`;
    } else {
      out += rebuild(tag, m[3] ?? '');
      if (VOID.has(tag)) continue;
      if (m[4] === '/') out += `</${tag}>`; // <b/>: HTML would leave it open; close it right away
      else open.push(tag);
    }
  }
  while (open.length > 0) out += `</${open.pop()}>`;
  return out;
}

/** Tag names present in an HTML string (for tests and checks). */
export function tagNames(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => (m[1] ?? '').toLowerCase());
}
