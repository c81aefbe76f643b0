import { describe, expect, it } from 'vitest';
import { compileTemplates, renderCatchUp, renderNotice, templateContext, templateFor } from '../../src/render/render.ts';
import { tagNames } from '../../src/render/html.ts';
import { htmlProblem, item, type Fixture } from './load.ts';

const t = compileTemplates({});
const REPO = 'http://localhost:3000/alice/demo';

describe('renderNotice with the built-in wording', () => {
  it('renders push-3-commits exactly: commit text verbatim in body, escaped in HTML', () => {
    const c = renderNotice(item('push-3-commits'), t);
    expect(c.body).toBe(
      [
        '[alice/demo] alice pushed 3 commits to main',
        '• 543d857 Remove obsolete config (Alice Liddell)',
        '• dacf415 Fix <br> handling & escaping in café template (Carol)',
        '• a847748 Add login form (Bob Builder)',
        `Compare: ${REPO}/compare/dfbccd9f778eb9450a1a3c5a97817b26bd031096...543d857ed70a980728d6262883d18cbefad6746b`,
      ].join('\n'),
    );
    expect(c.formatted_body).toBe(
      `[<a href="${REPO}">alice/demo</a>] alice pushed 3 commits to <a href="${REPO}/src/branch/main">main</a>` +
        '<ul>' +
        `<li><a href="${REPO}/commit/543d857ed70a980728d6262883d18cbefad6746b"><code>543d857</code></a> Remove obsolete config (Alice Liddell)</li>` +
        `<li><a href="${REPO}/commit/dacf415905ffd0d383df869f6c27c4b01f4f07b2"><code>dacf415</code></a> Fix &lt;br&gt; handling &amp; escaping in café template (Carol)</li>` +
        `<li><a href="${REPO}/commit/a84774805e49d7fd67243f0bbad5c49c88f9ad60"><code>a847748</code></a> Add login form (Bob Builder)</li>` +
        '</ul>' +
        `<a href="${REPO}/compare/dfbccd9f778eb9450a1a3c5a97817b26bd031096...543d857ed70a980728d6262883d18cbefad6746b">Compare changes</a>`,
    );
    expect(c).toMatchObject({ msgtype: 'm.notice', format: 'org.matrix.custom.html', 'm.mentions': {} });
    expect(Object.keys(c).sort()).toEqual(['body', 'format', 'formatted_body', 'm.mentions', 'msgtype']);
  });

  it('says "and 20 more" and links the compare page when 5 of 25 commits are listed', () => {
    const c = renderNotice(item('push-25-commits'), t);
    const compare = `${REPO}/compare/543d857ed70a980728d6262883d18cbefad6746b...6d501231fc0e16e8aadbca3938baef6f1475560e`;
    expect(c.body.split('\n')).toEqual([
      '[alice/demo] alice pushed 25 commits to main',
      '• 6d50123 Bulk change 25 (Bob Builder)',
      '• 17a414a Bulk change 24 (Bob Builder)',
      '• 4ba66d6 Bulk change 23 (Bob Builder)',
      '• f4355ea Bulk change 22 (Bob Builder)',
      '• 5f9a584 Bulk change 21 (Bob Builder)',
      '…and 20 more',
      `Compare: ${compare}`,
    ]);
    expect(c.formatted_body).toContain(`</ul>…and 20 more<br><a href="${compare}">Compare changes</a>`);
    expect(c.formatted_body.match(/<li>/g)).toHaveLength(5);
  });

  it('writes "1 commit" in the singular', () => {
    expect(renderNotice(item('push-1-commit'), t).body.split('\n')[0]).toBe('[alice/demo] alice pushed 1 commit to main');
  });

  // Each kind's wording: [fixture, kind, body, a fragment the HTML must contain]
  const table: [Fixture, string, string, string][] = [
    [
      'push-new-branch',
      'branch_created',
      '[alice/demo] alice created branch feature/login at 95c189c\n• 95c189c Wire login handler (Alice Liddell)',
      `created branch <a href="${REPO}/src/branch/feature/login">feature/login</a> at <code>95c189c</code><ul>`,
    ],
    // An annotated tag: `after` is the tag object (0569d95), head_commit the commit it points at.
    ['push-tag-create', 'tag_pushed', `[alice/demo] alice tagged v1.0.0 at 6d50123\n${REPO}/src/tag/v1.0.0`, `tagged <a href="${REPO}/src/tag/v1.0.0">v1.0.0</a> at <code>6d50123</code>`],
    ['push-tag-delete', 'tag_deleted', '[alice/demo] alice deleted tag v1.0.0', 'alice deleted tag <code>v1.0.0</code>'],
    ['push-ui-test-delivery', 'test', 'Gitea test delivery for alice/demo: the hook works (sent by alice, ref main)', `Gitea test delivery for <a href="${REPO}">alice/demo</a>: the hook works`],
    ['push-api-test', 'test', 'Gitea test delivery for alice/demo: the hook works (sent by alice, ref main)', 'the hook works (sent by alice, ref <a'],
    ['create-branch', 'created', `[alice/demo] alice created branch feature/login at 95c189c\n${REPO}/src/branch/feature/login`, `<a href="${REPO}/src/branch/feature/login">feature/login</a>`],
    ['create-tag', 'created', `[alice/demo] alice tagged v1.0.0 at 0569d95\n${REPO}/src/tag/v1.0.0`, `tagged <a href="${REPO}/src/tag/v1.0.0">v1.0.0</a>`],
    ['delete-branch', 'branch_deleted', '[alice/demo] alice deleted branch feature/login', 'alice deleted branch <code>feature/login</code>'],
    [
      'release-published',
      'release',
      `[alice/demo] alice released Version 1.1.0 (v1.1.0)\n${REPO}/releases/tag/v1.1.0`,
      `released <a href="${REPO}/releases/tag/v1.1.0"><strong>Version 1.1.0</strong></a> (<a href="${REPO}/src/tag/v1.1.0">v1.1.0</a>)`,
    ],
  ];
  it.each(table)('%s (%s)', (fixture, kind, body, html) => {
    const i = item(fixture);
    expect(i.kind).toBe(kind);
    const c = renderNotice(i, t);
    expect(c.body.startsWith(body)).toBe(true);
    expect(c.formatted_body).toContain(html);
    expect(htmlProblem(c.formatted_body)).toBeNull();
    // No markup or HTML escapes from the templates in the plain body (push-new-branch's commit text has a literal <br>).
    expect(c.body).not.toMatch(/<a |<\/?(ul|li|code|strong|em)>|&lt;|&amp;|&#34;|&#39;/);
  });

  it('lists a new branch\'s commits with "and 5 more" and its compare link', () => {
    const c = renderNotice(item('push-new-branch'), t);
    expect(c.body).toContain('\n…and 5 more\nCompare: http://localhost:3000/alice/demo/compare/f4425dc');
  });

  it('notes a pre-release, and shows a release named like its tag once', () => {
    const c = renderNotice(item('release-published', (p) => Object.assign(p.release, { prerelease: true, name: '' })), t);
    expect(c.body.split('\n')[0]).toBe('[alice/demo] alice released v1.1.0 (pre-release)');
    expect(c.formatted_body).toContain('<strong>v1.1.0</strong></a> <em>(pre-release)</em>');
  });

  it('pings nobody: an @room in a commit message stays text and m.mentions is {}', () => {
    const c = renderNotice(item('push-1-commit', (p) => { p.commits[0].message = '@room deploy now <b>!</b>\n'; }), t);
    expect(c['m.mentions']).toEqual({});
    expect(c.body).toContain('@room deploy now <b>!</b>');
    expect(c.formatted_body).toContain('@room deploy now &lt;b&gt;!&lt;/b&gt;');
  });

  it('uses m.text when asked', () => {
    expect(renderNotice(item('push-1-commit'), t, 'm.text').msgtype).toBe('m.text');
  });

  it('shows only the first line of a multi-line message and never links a non-http URL', () => {
    const i = item('push-1-commit', (p) => {
      p.commits[0].message = 'Subject line\n\nBody that must not show\n';
      p.commits[0].url = 'javascript:alert(1)';
    });
    const c = renderNotice(i, t);
    expect(c.body).toContain('• dfbccd9 Subject line (Alice Liddell)\n');
    expect(c.body).not.toContain('Body that must not show');
    expect(c.formatted_body).not.toContain('javascript:');
    expect(c.formatted_body).toContain('<a><code>dfbccd9</code></a>');
  });

  it('uses only allow-listed tags for every fixture', () => {
    const fixtures: Fixture[] = ['push-1-commit', 'push-25-commits', 'push-new-branch', 'release-published', 'create-tag'];
    for (const f of fixtures) {
      const tags = new Set(tagNames(renderNotice(item(f), t).formatted_body));
      for (const tag of tags) expect(['a', 'ul', 'li', 'code', 'br', 'strong', 'em']).toContain(tag);
    }
  });
});

describe('renderCatchUp', () => {
  it('says where the branch moved while the monitor was offline, with the compare link', () => {
    const c = renderCatchUp({ ...item('push-3-commits'), commits: [] }, t);
    const compare = `${REPO}/compare/dfbccd9f778eb9450a1a3c5a97817b26bd031096...543d857ed70a980728d6262883d18cbefad6746b`;
    expect(c.body).toBe(`[alice/demo] while the monitor was offline, main moved dfbccd9..543d857 (head by alice)\n…and 3 more\nCompare: ${compare}`);
    expect(c.formatted_body).toBe(
      `[<a href="${REPO}">alice/demo</a>] while the monitor was offline, <a href="${REPO}/src/branch/main">main</a> moved <code>dfbccd9..543d857</code> (head by alice)…and 3 more<br><a href="${compare}">Compare changes</a>`,
    );
  });

  it('lists the commits catch-up fetched, and words each kind of change', () => {
    const moved = renderCatchUp(item('push-3-commits'), t).body;
    expect(moved).toContain('• 543d857 Remove obsolete config (Alice Liddell)');
    const base = { ...item('push-tag-create'), kind: 'catch_up' as const, actor: 'unknown' };
    expect(renderCatchUp({ ...base, change: 'tag_pushed' }, t).body).toBe('[alice/demo] while the monitor was offline, tag v1.0.0 was pushed at 6d50123');
    expect(renderCatchUp({ ...item('delete-branch'), kind: 'catch_up', change: 'branch_deleted' }, t).body).toBe('[alice/demo] while the monitor was offline, branch feature/login was deleted');
    expect(renderCatchUp({ ...item('release-published'), kind: 'catch_up', change: 'release' }, t).body).toBe(
      `[alice/demo] while the monitor was offline, alice released Version 1.1.0 (v1.1.0)\n${REPO}/releases/tag/v1.1.0`,
    );
  });

  it('builds the compare link from the repo when the item has none', () => {
    const i = { ...item('push-1-commit'), compare_url: null };
    expect(renderCatchUp(i, t).body).toContain(`Compare: ${REPO}/compare/b0bd943fdeff95eb270517001b478d76c2ffd8f4...dfbccd9f778eb9450a1a3c5a97817b26bd031096`);
  });
});

describe('templateFor and templateContext', () => {
  it('maps a create event to the wording of the push it accompanies', () => {
    expect(templateFor({ kind: 'created', ref_type: 'tag' })).toBe('tag_pushed');
    expect(templateFor({ kind: 'created', ref_type: 'branch' })).toBe('branch_created');
    expect(templateFor({ kind: 'release', ref_type: 'tag' })).toBe('release');
  });

  it('gives templates plain values: shorts, words, blank for zero shas, at most 5 commits', () => {
    const ctx = templateContext(item('push-tag-delete'));
    expect(ctx).toMatchObject({ before_short: '0569d95', after: '', after_short: '', tag: 'v1.0.0', branch: '', commits_word: 'commits', more: 0 });
    const many = templateContext(item('push-25-commits'));
    expect(many.commits).toHaveLength(5);
    expect(many.more).toBe(20);
    expect(many.actor).toBe('alice');
    expect(many.pusher).toBe('alice');
  });
});
