// The pages as pure functions of their data: hostile text stays text, the notice HTML only ever
// lands escaped inside a sandboxed iframe's srcdoc, and each view shows what its row promises.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, Html } from '../../src/dashboard/html.ts';
import { extractorsBody } from '../../src/dashboard/views/extractors.ts';
import { runsBody } from '../../src/dashboard/views/runs.ts';
import { runDetailBody } from '../../src/dashboard/views/run-detail.ts';
import { configBody } from '../../src/dashboard/views/config.ts';
import { page } from '../../src/dashboard/layout.ts';
import type { ConfigView, ExtractorsView, RunDetailView } from '../../src/dashboard/data.ts';
import type { RunView } from '../../src/records/view.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const EVIL = `"><img src=x onerror=alert(1)><script>alert(2)</script>`;
// EVIL escaped is text; raw it would open an <img> or a <script>.
const noMarkupFrom = (out: string) => expect(out).not.toMatch(/<img|<script/);

const run = (o: Partial<RunView> = {}): RunView => ({
  run_id: 'run_0123456789abcdef0123', node_id: 'gitea_push_api', repo: 'dataforge/api', delivery_id: 'd-1', event: 'push', ref: 'refs/heads/main',
  status: 'announced', trigger: 'webhook', commits: 3, received_at: ago(180_000), notified_at: ago(179_000), latency_ms: 1000, summary: 'alice pushed 3 commits to main', error: null, ...o,
});

describe('html``', () => {
  it('escapes every interpolated value, arrays included, and keeps html`` fragments', () => {
    const out = html`<p title="${EVIL}">${EVIL}${[EVIL, html`<b>${EVIL}</b>`]}${null}${false}${0}</p>`.value;
    noMarkupFrom(out);
    expect(out).toContain('<b>&quot;&gt;&lt;img');
    expect(out).toContain('</b>0</p>');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
    expect(new Html('<i>').toString()).toBe('<i>');
  });
});

describe('Extractors', () => {
  const v: ExtractorsView = {
    generated_at: new Date(NOW).toISOString(), status: 'degraded',
    nodes: [
      { node_id: 'gitea_push_api', repo: 'dataforge/api', last_run_at: ago(3 * 60_000), last_status: 'announced', runs: 40, runs_24h: 1000, runs_24h_capped: true, hook: { state: 'ready', detail: 'ok' } },
      { node_id: 'gitea_push_web', repo: 'dataforge/web', last_run_at: ago(10_000), last_status: 'failed', runs: 2, runs_24h: 2, runs_24h_capped: false, hook: { state: 'error', detail: `HTTP 403 from Gitea ${EVIL}` } },
      { node_id: 'gitea_push_x', repo: 'dataforge/x', last_run_at: null, last_status: null, runs: 0, runs_24h: 0, runs_24h_capped: false, hook: null },
    ],
  };
  const out = extractorsBody(v, NOW).value;
  it('shows the last run as relative time with the ISO timestamp', () => {
    expect(out).toContain(`<time datetime="${ago(180_000)}" title="${ago(180_000)}">3 min ago</time>`);
    expect(out).toContain('>just now</time>');
    expect(out).toMatch(/id="node-gitea_push_x"[\s\S]*never/);
  });
  it('shows runs in 24 h (capped with +), the hook state with its reason, and a count of broken hooks', () => {
    expect(out).toContain('>1000+</td>');
    expect(out).toMatch(/badge bad">error<\/span><span class="detail">HTTP 403 from Gitea &quot;&gt;&lt;img/);
    expect(out).toContain('not reconciled here');
    expect(out).toMatch(/1 hook needs attention/);
    expect(out).toContain('href="/ui/runs?repo=dataforge%2Fapi"');
    noMarkupFrom(out);
  });
});

describe('Runs', () => {
  it('lists event, short ref, commits, latency and outcome; keeps the filters selected; escapes', () => {
    const out = runsBody({ nodes: [], runs: [run(), run({ run_id: 'run_2', status: 'failed', latency_ms: null, notified_at: null, error: EVIL, ref: `refs/heads/${EVIL}` })] }, { repo: 'dataforge/api', status: 'failed', limit: 50 }, ['dataforge/api', 'dataforge/web'], NOW).value;
    expect(out).toMatch(/>push<[\s\S]*>main<[\s\S]*>3<[\s\S]*>1 s<[\s\S]*announced/);
    expect(out).toContain('<option value="dataforge/api" selected>');
    expect(out).toContain('<option value="failed" selected>');
    expect(out).toContain('href="/ui/runs/run_0123456789abcdef0123"');
    expect(out).toContain('Clear filters');
    noMarkupFrom(out);
  });
  it('says so when nothing matches', () => {
    expect(runsBody({ nodes: [], runs: [] }, { status: 'failed', limit: 50 }, [], NOW).value).toContain('No run matches these filters.');
  });
});

describe('Run detail', () => {
  const v: RunDetailView = {
    run: run({ summary: EVIL }),
    calls: [
      { step: 'receive', started_at: ago(2000), offset_ms: 0, duration_ms: 0.4, outcome: 'ok', detail: '5675 bytes' },
      { step: 'matrix.send', started_at: ago(1000), offset_ms: 1000, duration_ms: 20, outcome: 'ok', detail: EVIL },
    ],
    notices: [{
      id: 7, kind: 'notice', room: 'news', room_target: '#fn-registry-news:example.com', status: 'sent', event_id: '$ev', created_at: ago(2000), sent_at: ago(1000), attempts: 1, last_error: null, digest_id: null,
      content: { msgtype: 'm.notice', body: `plain ${EVIL}`, format: 'org.matrix.custom.html', formatted_body: `<b>bold</b> ${EVIL}</iframe><script>alert(3)</script>` },
    }],
    triggers: [{ id: 8, trigger: 'dag_engine', status: 'sent', payload: { run_id: 'run_1' }, result: 'HTTP 200', sent_at: ago(900), attempts: 1, last_error: null }],
  };
  const out = runDetailBody(v, NOW).value;
  it('shows the chain in order with durations and offsets', () => {
    expect([...out.matchAll(/data-step="([^"]+)"/g)].map((m) => m[1])).toEqual(['receive', 'matrix.send']);
    expect(out).toMatch(/matrix\.send[\s\S]*at \+1 s[\s\S]*20 ms/);
  });
  it('puts the notice HTML only escaped into a sandboxed srcdoc (no scripts), the body as text, and names the room', () => {
    const iframes = [...out.matchAll(/<iframe[^>]*>/g)].map((m) => m[0]);
    expect(iframes).toHaveLength(1);
    expect(iframes[0]).toMatch(/sandbox="allow-popups allow-popups-to-escape-sandbox"/);
    expect(iframes[0]).not.toContain('allow-scripts');
    expect(iframes[0]).not.toContain('allow-same-origin');
    expect(iframes[0]).toContain('srcdoc="&lt;!doctype html&gt;');
    expect(iframes[0]).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(out).toContain('<pre class="body">plain &quot;&gt;&lt;img');
    expect(out).toContain('room <code>news</code> <span class="muted">(#fn-registry-news:example.com)</span>');
    expect(out).toContain('Trigger call → <code>dag_engine</code>');
    noMarkupFrom(out);
  });
});

describe('Config', () => {
  const v: ConfigView = {
    version: '1.2.3', status: 'ok', config_hash: 'abc123', auth: 'loopback',
    reload: { ok: false, at: ago(120_000), error: `line 3: ${EVIL}` },
    rooms: [{ room: 'news', target: '#news:x', state: 'error', detail: 'M_FORBIDDEN' }],
  };
  it('shows the hash, the last reload (failed, with why), the access mode and each room\'s join state', () => {
    const out = configBody(v, NOW).value;
    expect(out).toContain('abc123');
    expect(out).toMatch(/failed<\/span> <time[^>]*>2 min ago<\/time><span class="detail">line 3: &quot;/);
    expect(out).toContain('loopback only');
    expect(out).toMatch(/#news:x[\s\S]*badge bad">error[\s\S]*M_FORBIDDEN/);
    noMarkupFrom(out);
  });
  it('says when there was no reload yet', () => {
    expect(configBody({ ...v, reload: null }, NOW).value).toContain('none since start');
  });
});

describe('page shell', () => {
  it('has a skip link, the current view marked, the poll interval and one nonce\'d inline script', () => {
    const out = page({ title: EVIL, current: 'runs', nonce: 'n0nce', pollMs: 3000, body: html`<h1>x</h1>` });
    expect(out).toContain('<a class="skip" href="#main">Skip to content</a>');
    expect(out).toContain('<a href="/ui/runs" aria-current="page">Runs</a>');
    expect(out).toContain('data-poll="3000"');
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out).toContain('<script nonce="n0nce">');
    expect(out).toContain('name="viewport"');
    noMarkupFrom(out.replace(/<script nonce="n0nce">[\s\S]*?<\/script>/, ''));
  });
});
