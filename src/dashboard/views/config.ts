// Config: which file version runs (hash), how the last reload went, and whether each room is joined.
// Deliberately nothing else from the config: no URLs (they may embed credentials), no secrets.
import { html, type Html } from '../html.ts';
import { badge, timeAgo } from '../layout.ts';
import type { ConfigView } from '../data.ts';

export function configBody(v: ConfigView, now: number): Html {
  return html`<h1>Config</h1>
<p class="lede">The configuration this monitor runs on. Edit <code>monitor.yaml</code> in git; the monitor reloads it by itself.</p>
<div id="config" data-live>
<dl class="facts">
<dt>Status</dt><dd>${badge(v.status)}</dd>
<dt>Version</dt><dd>${v.version}</dd>
<dt>Config hash</dt><dd class="mono" title="sha256 of monitor.yaml">${v.config_hash}</dd>
<dt>Last reload</dt><dd>${v.reload === null
    ? html`<span class="muted">none since start</span>`
    : html`${badge(v.reload.ok ? 'ok' : 'failed')} ${timeAgo(v.reload.at, now)}${v.reload.error ? html`<span class="detail">${v.reload.error} (the previous config keeps running)</span>` : ''}`}</dd>
<dt>Dashboard access</dt><dd>${v.auth === 'token' ? 'token (dashboard.auth)' : 'loopback only (no dashboard.auth)'}</dd>
</dl>
<h2>Rooms</h2>
${v.rooms.length === 0
  ? html`<p class="muted">No room configured.</p>`
  : html`<table class="cards" aria-label="Rooms">
<thead><tr><th scope="col">Room</th><th scope="col">Alias or id</th><th scope="col">State</th></tr></thead>
<tbody>${v.rooms.map((r) => html`<tr>
<td data-label="Room"><code>${r.room}</code></td>
<td data-label="Alias or id" class="mono">${r.target}</td>
<td data-label="State">${badge(r.state)}${r.detail ? html`<span class="detail">${r.detail}</span>` : ''}</td>
</tr>`)}</tbody>
</table>`}
</div>`;
}
