// The dashboard's stylesheet, inlined into every page (no CDN, no build). Tables turn into
// labelled cards on narrow screens; focus is always visible; colours follow the system scheme.
export const STYLE = `
:root { color-scheme: light dark; --bg: #f7f8fa; --fg: #1d2330; --muted: #5b6475; --card: #fff; --line: #dde1e8; --accent: #2456c6;
  --ok: #16794a; --ok-bg: #dff3e8; --warn: #8a5a00; --warn-bg: #fdf0d2; --bad: #b3261e; --bad-bg: #fbe2df; --idle: #4a5263; --idle-bg: #e8ebf0; }
@media (prefers-color-scheme: dark) { :root { --bg: #14171d; --fg: #e6e9ef; --muted: #9aa3b5; --card: #1c2028; --line: #2d333f; --accent: #8fb0ff;
  --ok: #7fd8a6; --ok-bg: #173826; --warn: #f0c36a; --warn-bg: #3a2e12; --bad: #ff9a90; --bad-bg: #42201d; --idle: #c2c8d4; --idle-bg: #2a303b; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible, iframe:focus-visible, main:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 3px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 2; }
.skip:focus { left: .5rem; }
header { background: var(--card); border-bottom: 1px solid var(--line); }
.bar { max-width: 72rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: center; }
.brand { font-weight: 700; margin-right: auto; }
nav ul { list-style: none; display: flex; gap: .25rem; margin: 0; padding: 0; flex-wrap: wrap; }
nav a { display: inline-block; padding: .35rem .7rem; border-radius: 6px; text-decoration: none; color: var(--fg); }
nav a:hover { background: var(--idle-bg); }
nav a[aria-current="page"] { background: var(--accent); color: var(--card); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.lede, .muted, .live { color: var(--muted); }
.live { font-size: .85rem; margin: 0; }
.live.bad { color: var(--bad); font-weight: 600; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
th, td { text-align: left; padding: .55rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; background: var(--idle-bg); color: var(--idle); white-space: nowrap; }
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.detail { display: block; font-size: .8rem; color: var(--muted); overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; padding: 0; list-style: none; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: .75rem 0 1rem; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
select, button { font: inherit; padding: .35rem .6rem; border-radius: 6px; border: 1px solid var(--line); background: var(--card); color: var(--fg); }
button { background: var(--accent); color: var(--card); border-color: var(--accent); cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.chain { list-style: none; margin: 0; padding: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
ol.chain li { display: grid; grid-template-columns: 8rem 5.5rem 5.5rem 1fr 5rem; grid-template-areas: "step outcome when span took" "detail detail detail detail detail";
  gap: 0 .8rem; align-items: center; padding: .45rem .8rem; border-bottom: 1px solid var(--line); }
ol.chain li:last-child { border-bottom: 0; }
ol.chain .step { grid-area: step; font-weight: 600; }
ol.chain .outcome { grid-area: outcome; }
ol.chain .when { grid-area: when; }
ol.chain .span-cell { grid-area: span; }
ol.chain .took { grid-area: took; text-align: right; }
ol.chain .when, ol.chain .took { font-variant-numeric: tabular-nums; font-size: .85rem; color: var(--muted); }
ol.chain .detail { grid-area: detail; }
svg.span { width: 100%; height: 10px; display: block; }
svg.span rect.track { fill: var(--idle-bg); }
svg.span rect.fill { fill: var(--accent); }
.notice { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1rem; }
.notice h3 { margin: 0 0 .4rem; font-size: 1rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: .3rem 0; font-size: .85rem; }
iframe.rendered { width: 100%; height: 12rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.locked { max-width: 32rem; margin: 12vh auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.5rem; }
footer { max-width: 72rem; margin: 1rem auto 2rem; padding: 0 1rem; font-size: .8rem; color: var(--muted); }
@media (max-width: 40rem) {
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards thead { position: absolute; left: -9999px; }
  table.cards tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.cards td { border: 0; padding: .2rem .8rem; display: grid; grid-template-columns: 7.5rem 1fr; gap: 0 .5rem; justify-items: start; }
  table.cards td > * { grid-column: 2; }
  table.cards td.num { text-align: left; }
  table.cards td::before { content: attr(data-label); color: var(--muted); font-size: .8rem; }
  ol.chain li { grid-template-columns: 1fr auto 4.5rem; grid-template-areas: "step outcome took" "span span span" "when when when" "detail detail detail"; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
`;
