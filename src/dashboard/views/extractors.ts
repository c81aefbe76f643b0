// Extractors: one row per node gitea_push_<repo> (what data_factory's tab shows), with the hook's
// state on Gitea next to it, so "no recent run" and "the hook is broken" read side by side.
import { html, type Html } from '../html.ts';
import { badge, timeAgo } from '../layout.ts';
import type { ExtractorRow, ExtractorsView } from '../data.ts';

function hookCell(h: ExtractorRow['hook']): Html {
  if (!h) return html`<span class="muted">not reconciled here</span>`;
  return html`${badge(h.state)}${h.detail ? html`<span class="detail">${h.detail}</span>` : ''}`;
}

function row(n: ExtractorRow, now: number): Html {
  return html`<tr id="node-${n.node_id}">
<td data-label="Node"><a class="mono" href="/ui/runs?repo=${encodeURIComponent(n.repo)}">${n.node_id}</a></td>
<td data-label="Repository">${n.repo}</td>
<td data-label="Last run">${timeAgo(n.last_run_at, now)}</td>
<td data-label="Status">${n.last_status === null ? html`<span class="muted">–</span>` : badge(n.last_status)}</td>
<td data-label="Runs (24 h)" class="num" title="${n.runs} in total">${n.runs_24h}${n.runs_24h_capped ? '+' : ''}</td>
<td data-label="Hook">${hookCell(n.hook)}</td>
</tr>`;
}

export function extractorsBody(v: ExtractorsView, now: number): Html {
  const total24 = v.nodes.reduce((s, n) => s + n.runs_24h, 0);
  const broken = v.nodes.filter((n) => n.hook?.state === 'error').length;
  return html`<h1>Extractors</h1>
<p class="lede">One node per repository: <code>gitea_push_&lt;repo&gt;</code>, with its last run and the state of its webhook on Gitea.</p>
<div id="extractors" data-live>
<ul class="summary">
<li>Monitor ${badge(v.status)}</li>
<li>${v.nodes.length} ${v.nodes.length === 1 ? 'node' : 'nodes'}</li>
<li>${total24} ${total24 === 1 ? 'run' : 'runs'} in the last 24 h</li>
${broken ? html`<li>${badge('error')} ${broken} ${broken === 1 ? 'hook needs' : 'hooks need'} attention</li>` : ''}
</ul>
${v.nodes.length === 0
  ? html`<p class="muted">No node yet: the first accepted push creates one.</p>`
  : html`<table class="cards" aria-label="Extractors">
<thead><tr><th scope="col">Node</th><th scope="col">Repository</th><th scope="col">Last run</th><th scope="col">Status</th><th scope="col" class="num">Runs (24 h)</th><th scope="col">Hook</th></tr></thead>
<tbody>${v.nodes.map((n) => row(n, now))}</tbody>
</table>`}
</div>`;
}
