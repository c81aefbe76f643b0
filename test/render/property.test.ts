import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileTemplates, renderDigest, renderNotice } from '../../src/render/render.ts';
import { escapeHtml, sanitizeHtml, tagNames } from '../../src/render/html.ts';
import { neutraliseBidi } from '../../src/render/bidi.ts';
import { contentBytes, MAX_CONTENT_BYTES } from '../../src/render/limit.ts';
import type { NoticeItem } from '../../src/events/notice-item.ts';
import { htmlProblem, item } from './load.ts';

const t = compileTemplates({});
const ALLOWED = new Set(['del', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'p', 'a', 'ul', 'ol', 'sup', 'sub', 'li', 'b', 'i', 'u', 'strong', 'em', 's', 'code', 'hr', 'br', 'div', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'pre', 'span', 'img', 'details', 'summary']);

// Text that tries hard to be markup, mentions or JSON trouble, mixed with arbitrary Unicode.
const NASTY = ['<b>', '</ul>', '<li>', '<a href="javascript:alert(1)">', '<script>', '<!--', '&amp;', '&lt;', '@room', '"', "'", '\\', '\n', '\r\n', '\u0000', '😀', '{{ x }}', '{% raw %}', '<br/>', '>'];
const text = (maxLength: number) =>
  fc.array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength }).map((parts) => parts.join(''));

describe('properties of rendered notices', () => {
  it('commit text and names never add a tag, are escaped in HTML and verbatim in the body', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text(8), text(4)), { minLength: 1, maxLength: 5 }), text(3), text(3), (commits, pusher, branch) => {
        const i = item('push-25-commits', (p) => {
          p.pusher.login = pusher;
          p.ref = `refs/heads/${branch}`;
          p.commits = p.commits.slice(0, commits.length).map((c: object, k: number) => ({
            ...c,
            message: commits[k]![0],
            author: { name: commits[k]![1], email: '', username: 'u' },
          }));
        });
        const c = renderNotice(i, t);
        expect(c['m.mentions']).toEqual({});
        expect(contentBytes(c)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
        // Exactly the template's own tags: repo, branch, one per commit and the compare link.
        expect(new Set(tagNames(c.formatted_body))).toEqual(new Set(['a', 'ul', 'li', 'code', 'br']));
        expect(c.formatted_body.match(/<a /g)).toHaveLength(3 + i.commits.length);
        expect(htmlProblem(c.formatted_body)).toBeNull();
        const lines = i.commits.map((x) => `• ${x.short} ${x.title} (${x.author})`);
        // Verbatim but for bidi controls, which show as [U+XXXX] (bidi.test.ts).
        expect(c.body).toBe(
          neutraliseBidi([`[alice/demo] ${i.actor} pushed 25 commits to ${i.ref_name}`, ...lines, `…and ${25 - i.commits.length} more`, `Compare: ${i.compare_url}`].join('\n').trim()),
        );
        for (const x of i.commits) expect(c.formatted_body).toContain(`</code></a> ${neutraliseBidi(escapeHtml(x.title))} (${neutraliseBidi(escapeHtml(x.author))})</li>`);
      }),
      { numRuns: 200 },
    );
  });

  it('huge commit titles and author names never break the size limit, the allow-list or the text', () => {
    const huge = fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 12_000 })).map(([s, n]) => s.repeat(n));
    fc.assert(
      fc.property(fc.array(fc.tuple(huge, huge), { minLength: 1, maxLength: 5 }), fc.boolean(), (commits, digest) => {
        const base = item('push-25-commits');
        const big: NoticeItem = { ...base, commits: commits.map(([title, author], k) => ({ ...base.commits[k]!, title, author })) };
        const c = digest ? renderDigest([big, big], t) : renderNotice(big, t);
        expect(contentBytes(c)).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
        for (const tag of tagNames(c.formatted_body)) expect(ALLOWED.has(tag)).toBe(true);
        expect(htmlProblem(c.formatted_body)).toBeNull();
        expect(c.body.isWellFormed()).toBe(true);
        expect(c.formatted_body.isWellFormed()).toBe(true);
        expect(c.body.startsWith(digest ? '[alice/demo] 2 pushes, 50 commits to main' : '[alice/demo] alice pushed 25 commits to main')).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('sanitizeHtml output only holds allow-listed, balanced tags and http(s) links', () => {
    const markup = fc
      .array(
        fc.oneof(
          fc.constantFrom('<', '>', '/', '="', '"', "'", ' ', 'a', 'b', 'br', 'script', 'href', 'https://x', 'javascript:', 'ul', 'li', 'img', 'src', 'mxc://a', '/>', '</a>', '<a '),
          fc.string({ maxLength: 4 }),
        ),
        { maxLength: 40 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(markup, (html) => {
        const out = sanitizeHtml(html);
        for (const tag of tagNames(out)) expect(ALLOWED.has(tag)).toBe(true);
        expect(htmlProblem(out)).toBeNull();
        for (const m of out.matchAll(/<a href="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//i);
        expect(out).not.toMatch(/<[a-z]+ [^>]*(on\w+|style)=/i);
        expect(sanitizeHtml(out)).toBe(out); // idempotent: a second pass changes nothing
      }),
      { numRuns: 500 },
    );
  });
});
