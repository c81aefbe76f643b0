import { describe, expect, it } from 'vitest';
import { compileTemplates, digestContext, renderDigest } from '../../src/render/render.ts';
import { digestCompareUrl } from '../../src/render/digest.ts';
import type { NoticeItem } from '../../src/events/notice-item.ts';
import { htmlProblem, item } from './load.ts';

const t = compileTemplates({});
const REPO = 'http://localhost:3000/alice/demo';
const sha = (c: string) => c.repeat(40);

/** A push to main built on push-1-commit's body: `commits` newest first, `total` the real count. */
function push(pusher: string, before: string, after: string, commits: [string, string][], total: number, branch = 'main'): NoticeItem {
  return item('push-1-commit', (p) => {
    const template = p.commits[0];
    p.ref = `refs/heads/${branch}`;
    p.before = before;
    p.after = after;
    p.compare_url = `${REPO}/compare/${before}...${after}`;
    p.pusher.login = pusher;
    p.total_commits = total;
    p.commits = commits.map(([id, message]) => ({ ...template, id, message, url: `${REPO}/commit/${id}` }));
    p.head_commit = p.commits[0];
  });
}

// Six pushes to main, oldest first: 1 + 3 + 25 + 1 + 4 + 2 = 36 commits, by alice and bob.
function sixPushes(): NoticeItem[] {
  const p25 = item('push-25-commits');
  return [
    item('push-1-commit'),
    item('push-3-commits'),
    p25,
    push('bob', p25.after!, sha('1'), [[sha('1'), 'Bob fix one']], 1),
    push('bob', sha('1'), sha('2'), [[sha('2'), 'Bob four'], ['2'.repeat(39) + '1', 'Bob three']], 4),
    push('alice', sha('2'), sha('3'), [[sha('3'), 'Alice two <script>'], ['3'.repeat(39) + '2', 'Alice one']], 2),
  ];
}

describe('renderDigest', () => {
  it('states exact counts, pushers, branch, the 10 newest shas and one compare link for 6 pushes', () => {
    const c = renderDigest(sixPushes(), t);
    const compare = `${REPO}/compare/b0bd943fdeff95eb270517001b478d76c2ffd8f4...${sha('3')}`;
    expect(c.body.split('\n')).toEqual([
      '[alice/demo] 6 pushes, 36 commits to main by alice, bob since the last notice',
      '• 3333333 Alice two <script> (Alice Liddell)',
      '• 3333333 Alice one (Alice Liddell)',
      '• 2222222 Bob four (Alice Liddell)',
      '• 2222222 Bob three (Alice Liddell)',
      '• 1111111 Bob fix one (Alice Liddell)',
      '• 6d50123 Bulk change 25 (Bob Builder)',
      '• 17a414a Bulk change 24 (Bob Builder)',
      '• 4ba66d6 Bulk change 23 (Bob Builder)',
      '• f4355ea Bulk change 22 (Bob Builder)',
      '• 5f9a584 Bulk change 21 (Bob Builder)',
      '…and 26 more',
      `Compare: ${compare}`,
    ]);
    expect(c.formatted_body).toContain(
      `[<a href="${REPO}">alice/demo</a>] 6 pushes, 36 commits to main by alice, bob since the last notice<ul><li><a href="${REPO}/commit/${sha('3')}"><code>3333333</code></a> Alice two &lt;script&gt; (Alice Liddell)</li>`,
    );
    expect(c.formatted_body.match(/<li>/g)).toHaveLength(10);
    expect(c.formatted_body.endsWith(`</ul>…and 26 more<br><a href="${compare}">Compare changes</a>`)).toBe(true);
    expect(c.formatted_body.match(/compare\//g)).toHaveLength(1);
    expect(htmlProblem(c.formatted_body)).toBeNull();
    expect(c).toMatchObject({ msgtype: 'm.notice', 'm.mentions': {} });
  });

  it('exposes the counts to templates', () => {
    const ctx = digestContext(sixPushes());
    expect(ctx).toMatchObject({ pushes: 6, pushes_word: 'pushes', notices: 6, total_commits: 36, pushers: ['alice', 'bob'], branches: ['main'], more: 26, others: [] });
    expect(ctx.commits.map((c) => c.short)).toEqual(['3333333', '3333333', '2222222', '2222222', '1111111', '6d50123', '17a414a', '4ba66d6', 'f4355ea', '5f9a584']);
    expect(ctx.items).toHaveLength(6);
  });

  it('uses the newest push\'s compare link when pushes went to several branches', () => {
    const items = [item('push-3-commits'), item('push-new-branch'), push('bob', sha('4'), sha('5'), [[sha('5'), 'x']], 1, 'feature/x')];
    const c = renderDigest(items, t);
    expect(c.body.split('\n')[0]).toBe('[alice/demo] 3 pushes, 14 commits to main, feature/login, feature/x by alice, bob since the last notice');
    expect(c.body.split('\n')[1]).toBe('Also: created branch feature/login');
    expect(c.body).toContain(`Compare: ${REPO}/compare/${sha('4')}...${sha('5')}`);
  });

  it('starts the one-branch range at a new branch\'s own base', () => {
    const created = item('push-new-branch');
    const next = push('bob', created.after!, sha('6'), [[sha('6'), 'y']], 1, 'feature/login');
    expect(digestCompareUrl([created, next])).toBe(`${REPO}/compare/f4425dc3ba17efbd39cd96c1f55a064c49bc203b...${sha('6')}`);
  });

  it('names tags, deletions and releases merged into the digest', () => {
    const items = [item('push-1-commit'), item('push-tag-create'), item('create-tag'), item('delete-branch'), item('release-published')];
    const c = renderDigest(items, t);
    expect(c.body.split('\n').slice(0, 2)).toEqual([
      '[alice/demo] 1 push, 1 commit to main by alice since the last notice',
      'Also: tagged v1.0.0; deleted branch feature/login; released Version 1.1.0 (v1.1.0)',
    ]);
    expect(c.formatted_body).toContain('<br>Also: tagged v1.0.0; deleted branch feature/login; released Version 1.1.0 (v1.1.0)<ul>');
  });

  it('reads sensibly when nothing was pushed', () => {
    const c = renderDigest([item('push-tag-delete'), item('release-published')], t);
    expect(c.body).toBe('[alice/demo] 2 updates by alice since the last notice\nAlso: deleted tag v1.0.0; released Version 1.1.0 (v1.1.0)');
  });

  it('refuses an empty digest', () => {
    expect(() => renderDigest([], t)).toThrow(/at least one/);
  });
});
