// Run detail: the delivery's call chain as a timeline, and each notice as it was posted — the plain
// body as text, the HTML body inside a sandboxed iframe's srcdoc (escaped into the attribute, so it
// never becomes part of this page, and the sandbox runs no script even if one slipped through).
// Its links open in a new tab (allow-popups), the only thing the frame may do.
import { html, type Html } from '../html.ts';
import { badge, timeAgo } from '../layout.ts';
import { formatDuration } from '../time.ts';
import type { CallView, NoticeView, RunDetailView, TriggerView } from '../data.ts';

const IFRAME_STYLE = 'body{font:14px/1.45 system-ui,sans-serif;margin:.6rem;color:#1d2330;background:#fff}a{color:#2456c6}';

function span(c: CallView, total: number): Html {
  const x = total > 0 ? Math.min(997, (c.offset_ms / total) * 1000) : 0;
  const w = total > 0 ? Math.max(3, Math.min(1000 - x, (c.duration_ms / total) * 1000)) : 1000;
  return html`<svg class="span" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="track" width="1000" height="10"/><rect class="fill" x="${x.toFixed(1)}" width="${w.toFixed(1)}" height="10"/></svg>`;
}

function chain(calls: CallView[]): Html {
  if (calls.length === 0) return html`<p class="muted">No call recorded for this delivery.</p>`;
  const total = calls.reduce((m, c) => Math.max(m, c.offset_ms + c.duration_ms), 0);
  return html`<ol class="chain" aria-label="Call chain">${calls.map(
    (c) => html`<li data-step="${c.step}">
<span class="step">${c.step}</span>
<span class="outcome">${badge(c.outcome)}</span>
<span class="when" title="started ${c.started_at}">at +${formatDuration(c.offset_ms)}</span>
<span class="span-cell">${span(c, total)}</span>
<span class="took" title="duration">${formatDuration(c.duration_ms)}</span>
${c.detail ? html`<span class="detail">${c.detail}</span>` : ''}
</li>`,
  )}</ol>`;
}

function notice(n: NoticeView, now: number): Html {
  const c = n.content ?? {};
  const body = typeof c.body === 'string' ? c.body : null;
  const formatted = typeof c.formatted_body === 'string' ? c.formatted_body : null;
  const srcdoc = formatted === null ? '' : `<!doctype html><meta charset="utf-8"><base target="_blank"><style>${IFRAME_STYLE}</style>${formatted}`;
  return html`<section class="notice" aria-label="${n.kind} ${n.id}">
<h3>${n.kind === 'digest' ? 'Digest' : 'Notice'} #${n.id} → room <code>${n.room}</code>${n.room_target ? html` <span class="muted">(${n.room_target})</span>` : ''}</h3>
<dl class="facts">
<dt>Status</dt><dd>${badge(n.status)}${n.digest_id !== null ? html` <span class="muted">merged into digest #${n.digest_id}</span>` : ''}</dd>
<dt>Sent</dt><dd>${timeAgo(n.sent_at, now, 'not yet')}</dd>
<dt>Event id</dt><dd class="mono">${n.event_id ?? '–'}</dd>
<dt>Attempts</dt><dd>${n.attempts}</dd>
${n.last_error ? html`<dt>Last error</dt><dd>${n.last_error}</dd>` : ''}
</dl>
${n.content === null
  ? html`<p class="muted">Rendered when it is sent.</p>`
  : html`<h4>Plain text</h4>
<pre class="body">${body ?? ''}</pre>
${srcdoc ? html`<h4>HTML</h4><iframe class="rendered" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="Notice #${n.id} as rendered HTML" srcdoc="${srcdoc}"></iframe>` : ''}
<details id="content-${n.id}"><summary>Content as posted (JSON)</summary><pre>${JSON.stringify(n.content, null, 2)}</pre></details>`}
</section>`;
}

function trigger(t: TriggerView, now: number): Html {
  return html`<section class="notice" aria-label="trigger ${t.id}">
<h3>Trigger call → <code>${t.trigger}</code></h3>
<dl class="facts">
<dt>Status</dt><dd>${badge(t.status)}${t.result ? html` <span class="muted">${t.result}</span>` : ''}</dd>
<dt>Sent</dt><dd>${timeAgo(t.sent_at, now, 'not yet')}</dd>
<dt>Attempts</dt><dd>${t.attempts}</dd>
${t.last_error ? html`<dt>Last error</dt><dd>${t.last_error}</dd>` : ''}
</dl>
<details id="trigger-${t.id}"><summary>Payload (JSON)</summary><pre>${JSON.stringify(t.payload, null, 2)}</pre></details>
</section>`;
}

export function runDetailBody(v: RunDetailView, now: number): Html {
  const r = v.run;
  return html`<p><a href="/ui/runs">← Runs</a></p>
<h1>Run <span class="mono">${r.run_id}</span></h1>
<div id="run" data-live>
<dl class="facts">
<dt>Outcome</dt><dd>${badge(r.status)}${r.error ? html` ${r.error}` : ''}</dd>
<dt>Repository</dt><dd>${r.repo} <span class="muted">(node <a class="mono" href="/ui/runs?repo=${encodeURIComponent(r.repo)}">${r.node_id}</a>)</span></dd>
<dt>Event</dt><dd>${r.event}${r.ref ? html` <span class="mono">${r.ref}</span>` : ''}</dd>
<dt>Commits</dt><dd>${r.commits}</dd>
<dt>Received</dt><dd>${timeAgo(r.received_at, now)}</dd>
<dt>Notified</dt><dd>${timeAgo(r.notified_at, now, 'not yet')}${r.latency_ms !== null ? html` <span class="muted">(${formatDuration(r.latency_ms)} after receipt)</span>` : ''}</dd>
<dt>Delivery</dt><dd class="mono">${r.delivery_id}</dd>
<dt>Trigger</dt><dd>${r.trigger}</dd>
${r.summary ? html`<dt>Summary</dt><dd>${r.summary}</dd>` : ''}
</dl>
<h2>Call chain</h2>
${chain(v.calls)}
<h2>Notices</h2>
${v.notices.length === 0 ? html`<p class="muted">This run was not announced.</p>` : v.notices.map((n) => notice(n, now))}
${v.triggers.length ? html`<h2>Triggers</h2>${v.triggers.map((t) => trigger(t, now))}` : ''}
</div>`;
}
