// Runs: newest first, filterable by repository and status; each links to its call chain.
import { html, type Html } from '../html.ts';
import { badge, timeAgo } from '../layout.ts';
import { formatDuration } from '../time.ts';
import { RUN_STATUSES, type RunsQuery } from '../data.ts';
import type { RunView, RunsView } from '../../records/view.ts';

const shortRef = (ref: string | null) => (ref ?? '').replace(/^refs\/(heads|tags)\//, '');

function outcome(r: RunView): Html {
  return html`${badge(r.status)}${r.error ? html`<span class="detail">${r.error}</span>` : r.summary ? html`<span class="detail">${r.summary}</span>` : ''}`;
}

function row(r: RunView, now: number): Html {
  return html`<tr>
<td data-label="Run"><a class="mono" href="/ui/runs/${encodeURIComponent(r.run_id)}">${r.run_id}</a><span class="detail">${timeAgo(r.received_at, now)}</span></td>
<td data-label="Repository">${r.repo}</td>
<td data-label="Event">${r.event}</td>
<td data-label="Ref"><span class="mono" title="${r.ref ?? ''}">${shortRef(r.ref) || '–'}</span></td>
<td data-label="Commits" class="num">${r.commits}</td>
<td data-label="Latency" class="num" title="push received → notice sent">${r.latency_ms === null ? html`<span class="muted">–</span>` : formatDuration(r.latency_ms)}</td>
<td data-label="Outcome">${outcome(r)}</td>
</tr>`;
}

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
}

/** `repos`: every repository the filter offers (known nodes and hooked repositories). */
export function runsBody(v: RunsView, q: RunsQuery, repos: string[], now: number): Html {
  const filtered = Boolean(q.repo || q.status || q.nodeId);
  return html`<h1>Runs</h1>
<p class="lede">Every accepted delivery, newest first. Latency is push received → notice sent.</p>
<form class="filters" method="get" action="/ui/runs">
${q.nodeId ? html`<input type="hidden" name="node" value="${q.nodeId}">` : ''}
<label>Repository<select name="repo">${option('', 'All repositories', !q.repo)}${repos.map((r) => option(r, r, r === q.repo))}</select></label>
<label>Status<select name="status">${option('', 'Any status', !q.status)}${RUN_STATUSES.map((s) => option(s, s, s === q.status))}</select></label>
<button type="submit">Filter</button>
${filtered ? html`<a href="/ui/runs">Clear filters</a>` : ''}
</form>
<div id="runs" data-live>
${v.runs.length === 0
  ? html`<p class="muted">${filtered ? 'No run matches these filters.' : 'No run recorded yet.'}</p>`
  : html`<table class="cards" aria-label="Runs">
<thead><tr><th scope="col">Run</th><th scope="col">Repository</th><th scope="col">Event</th><th scope="col">Ref</th><th scope="col" class="num">Commits</th><th scope="col" class="num">Latency</th><th scope="col">Outcome</th></tr></thead>
<tbody>${v.runs.map((r) => row(r, now))}</tbody>
</table>
${v.runs.length === q.limit ? html`<p class="muted">Showing the newest ${q.limit}.</p>` : ''}`}
</div>`;
}
