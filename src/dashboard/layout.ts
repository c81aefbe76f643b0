// The page shell every view shares, and the small fragments they repeat (status badges, times).
import { html, Html } from './html.ts';
import { STYLE } from './style.ts';
import { CLIENT_SCRIPT } from './client.ts';
import { relativeTime } from './time.ts';

export type View = 'extractors' | 'runs' | 'config';

export interface Shell {
  title: string;
  current: View | null;
  /** CSP nonce of this response's one script. */
  nonce: string;
  pollMs: number;
  body: Html;
}

const NAV: Array<[View, string, string]> = [
  ['extractors', '/ui/', 'Extractors'],
  ['runs', '/ui/runs', 'Runs'],
  ['config', '/ui/config', 'Config'],
];

/** The document head every page shares: no referrer, no favicon request, the inline style. */
function head(title: string): Html {
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${title} · gitea-releases-monitor</title>
<style>${new Html(STYLE)}</style>
</head>`;
}

export function page(s: Shell): string {
  const nav = NAV.map(([v, href, label]) => html`<li><a href="${href}"${v === s.current ? html` aria-current="page"` : ''}>${label}</a></li>`);
  return html`<!doctype html>
<html lang="en">
${head(s.title)}
<body data-poll="${s.pollMs}">
<a class="skip" href="#main">Skip to content</a>
<header><div class="bar">
<span class="brand">gitea-releases-monitor</span>
<nav aria-label="Dashboard"><ul>${nav}</ul></nav>
<p class="live" id="live">Live: updates every ${Math.round(s.pollMs / 100) / 10} s</p>
</div></header>
<main id="main" tabindex="-1">
${s.body}
</main>
<script nonce="${s.nonce}">${new Html(CLIENT_SCRIPT)}</script>
</body>
</html>
`.value;
}

/** A page with no data: the locked page (401/403) and the page for an unknown run. */
export function plainPage(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
${head(title)}
<body>
<main id="main" class="locked">
${body}
</main>
</body>
</html>
`.value;
}

const TONE: Record<string, 'ok' | 'warn' | 'bad' | ''> = {
  announced: 'ok', digested: 'ok', recorded: 'ok', sent: 'ok', ready: 'ok', joined: 'ok', ok: 'ok',
  queued: '', held: '', pending: 'warn', skipped: '', merged: '', starting: 'warn', draining: 'warn', degraded: 'warn',
  failed: 'bad', error: 'bad', retry: 'warn',
};

export function badge(state: string | null): Html {
  if (state === null) return html`<span class="badge">none</span>`;
  return html`<span class="badge ${TONE[state] ?? ''}">${state}</span>`;
}

/** "3 min ago", with the ISO timestamp machine-readable and on hover. */
export function timeAgo(isoTime: string | null, now: number, never = 'never'): Html {
  if (isoTime === null) return html`<span class="muted">${never}</span>`;
  return html`<time datetime="${isoTime}" title="${isoTime}">${relativeTime(Date.parse(isoTime), now)}</time>`;
}
