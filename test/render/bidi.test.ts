// Bidi controls in content never reach a notice as controls: they show as visible [U+XXXX].
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neutraliseBidi } from '../../src/render/bidi.ts';
import { compileTemplates, renderDigest, renderNotice } from '../../src/render/render.ts';
import { item } from './load.ts';

const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const t = compileTemplates({});
const withControls = fc.array(fc.oneof(fc.constantFrom(...CONTROLS), fc.string({ unit: 'grapheme', maxLength: 6 })), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));

describe('bidi controls in content', () => {
  it('a right-to-left override in a commit title shows as [U+202E] in body and formatted_body', () => {
    const i = item('push-1-commit', (p) => {
      p.commits[0].message = 'Add invoice \u202Egnp.exe\n\nbody';
    });
    const c = renderNotice(i, t);
    expect(c.body).toContain('Add invoice [U+202E]gnp.exe');
    expect(c.formatted_body).toContain('Add invoice [U+202E]gnp.exe');
  });

  it('neutraliseBidi leaves other text as it is', () => {
    expect(neutraliseBidi('main → v1.2 ✓ שלום')).toBe('main → v1.2 ✓ שלום');
    expect(neutraliseBidi('a\u2066b\u200Fc\u061C')).toBe('a[U+2066]b[U+200F]c[U+061C]');
  });

  it('property: no notice or digest ever carries a bidi control, wherever the content put it', () => {
    fc.assert(
      fc.property(withControls, withControls, withControls, withControls, fc.boolean(), (title, author, pusher, branch, digest) => {
        const i = item('push-3-commits', (p) => {
          p.pusher.login = pusher;
          p.ref = `refs/heads/${branch}`;
          p.commits[0].message = title;
          p.commits[0].author.name = author;
        });
        const c = digest ? renderDigest([i, i], t) : renderNotice(i, t);
        expect(c.body).not.toMatch(BIDI);
        expect(c.formatted_body).not.toMatch(BIDI);
      }),
      { numRuns: 200 },
    );
  });
});
