import { describe, expect, it } from 'vitest';
import { compileTemplates, renderDigest, renderNotice } from '../../src/render/render.ts';
import { contentBytes, cutString, MAX_CONTENT_BYTES, TRUNCATED_MARKER, truncateToFit } from '../../src/render/limit.ts';
import type { NoticeItem } from '../../src/events/notice-item.ts';
import { htmlProblem, item } from './load.ts';

const t = compileTemplates({});

/** push-25-commits with every listed commit's title (and message) replaced. */
function withTitles(title: (i: number) => string): NoticeItem {
  const base = item('push-25-commits');
  return { ...base, commits: base.commits.map((c, i) => ({ ...c, title: title(i) })) };
}

describe('the 60,000-byte content limit', () => {
  it('lists all 5 commits of 50 KB messages: titles are cut to one short line', () => {
    const big = (i: number) => `Commit ${i} ` + 'é<&'.repeat(17_000); // ~50 KB per message, one line
    const c = renderNotice(item('push-25-commits', (p) => p.commits.forEach((x: { message: string }, i: number) => { x.message = big(i) + '\n\n' + 'body '.repeat(10_000); })), t);
    expect(contentBytes(c)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    expect(c.body.match(/^• /gm)).toHaveLength(5);
    expect(c.body).toContain('…and 20 more');
    expect(c.body).not.toContain('body body');
  });

  it('drops commit lines one by one (keeping header, "and K more" and compare link) when they do not fit', () => {
    const c = renderNotice(withTitles((i) => `${i}:` + 'x'.repeat(20_000)), t); // text + html: ~40 KB per commit
    expect(contentBytes(c)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    const lines = c.body.split('\n');
    expect(lines[0]).toBe('[alice/demo] alice pushed 25 commits to main');
    expect(lines[1]).toMatch(/^• 6d50123 0:x{20000} \(Bob Builder\)$/);
    expect(lines.slice(2)).toEqual(['…and 24 more', expect.stringMatching(/^Compare: http:\/\/localhost:3000\/alice\/demo\/compare\//)]);
    expect(c.formatted_body.match(/<li>/g)).toHaveLength(1);
    expect(c.formatted_body).toContain('</ul>…and 24 more<br><a href=');
  });

  it('keeps only the header when a single commit line is already too large', () => {
    const c = renderNotice(withTitles(() => 'y'.repeat(50_000)), t);
    expect(c.body.split('\n').slice(0, 2)).toEqual(['[alice/demo] alice pushed 25 commits to main', '…and 25 more']);
    expect(c.formatted_body).not.toContain('<ul>');
    expect(contentBytes(c)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
  });

  it('cuts a template that outputs 100 KB, with a marker, never splitting a surrogate pair or a tag', () => {
    const chunk = 'é 😀 <b>"quoted"</b> {{ repo.full_name }} & more\n'; // multi-byte, JSON- and HTML-escaped characters
    const custom = compileTemplates({
      push: { text: `{% for i in (1..2500) %}${chunk}{% endfor %}`, html: `{% for i in (1..2500) %}<b>{{ repo.full_name }}</b> 😀<br>{% endfor %}` },
    });
    const c = renderNotice(item('push-3-commits'), custom);
    const again = renderNotice(item('push-3-commits'), custom);
    expect(again).toEqual(c); // deterministic
    const bytes = contentBytes(c);
    expect(bytes).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    expect(bytes).toBeGreaterThan(MAX_CONTENT_BYTES - 200); // cut close to the limit, not far below it
    expect(c.body.endsWith(`\n${TRUNCATED_MARKER}`)).toBe(true);
    expect(c.body.startsWith('é 😀 <b>"quoted"</b> alice/demo & more\n')).toBe(true);
    expect(c.body.isWellFormed()).toBe(true);
    expect(c.formatted_body.isWellFormed()).toBe(true);
    expect(c.formatted_body.startsWith('é 😀 &lt;b&gt;&#34;quoted&#34;&lt;/b&gt; alice/demo &amp; more<br>')).toBe(true);
    expect(c.formatted_body.endsWith(`<br>${TRUNCATED_MARKER}`)).toBe(true);
    expect(htmlProblem(c.formatted_body)).toBeNull();
    expect(c['m.mentions']).toEqual({});
  });

  it('keeps a small body whole and falls back to its escaped text when only the HTML is too large', () => {
    const custom = compileTemplates({ push: { text: 'short {{ ref_name }}\nhttps://x.example/a', html: '{% for i in (1..5000) %}<b>{{ repo.full_name }}</b>{% endfor %}' } });
    const c = renderNotice(item('push-3-commits'), custom);
    expect(c.body).toBe('short main\nhttps://x.example/a');
    expect(c.formatted_body).toBe('short main<br><a href="https://x.example/a">https://x.example/a</a>');
  });

  it('keeps a digest of huge pushes under the limit', () => {
    const items = Array.from({ length: 6 }, () => withTitles(() => 'z'.repeat(30_000)));
    const c = renderDigest(items, t);
    expect(contentBytes(c)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    expect(c.body.split('\n')[0]).toBe('[alice/demo] 6 pushes, 150 commits to main by alice since the last notice');
    expect(c.body).toContain('\n…and 150 more\n');
  });
});

describe('cutString and truncateToFit', () => {
  it.each([
    ['abc', 2, 'ab'],
    ['abc', 5, 'abc'],
    ['a😀b', 2, 'a'], // would split the pair
    ['a😀b', 3, 'a😀'],
    ['', 0, ''],
  ])('cutString(%j, %i) = %j', (s, n, out) => {
    expect(cutString(s, n)).toBe(out);
  });

  it('finds the longest prefix that fits, whatever the JSON escaping costs', () => {
    const text = '"\u0001\\<'.repeat(5_000);
    const make = (body: string, formatted_body: string) => ({ body, formatted_body });
    const out = truncateToFit(text, make, 10_000);
    expect(contentBytes(out)).toBeLessThanOrEqual(10_000);
    const kept = out.body.slice(0, -(TRUNCATED_MARKER.length + 1));
    const longer = truncateToFit(text.slice(0, kept.length + 1), make, Number.MAX_SAFE_INTEGER);
    expect(contentBytes({ body: `${longer.body}\n${TRUNCATED_MARKER}`, formatted_body: longer.formatted_body + `<br>${TRUNCATED_MARKER}` })).toBeGreaterThan(10_000);
  });
});
