// The pure decisions behind catch-up: what changed since the records (diffRefs), and whether a
// delivery is already announced (alreadyKnown) — the two halves of "never twice".
import { describe, expect, it } from 'vitest';
import { diffRefs } from '../../src/runtime/catch-up-diff.ts';
import { alreadyKnown } from '../../src/pipeline/ref-records.ts';
import type { NoticeItem } from '../../src/events/notice-item.ts';
import type { GiteaRelease } from '../../src/adapters/gitea/types.ts';

const br = (name: string, id: string) => ({ name, commit: { id } });
const tag = (name: string, sha: string) => ({ name, id: 'obj-' + sha, commit: { sha } });
const rel = (tag_name: string, id = 1, draft = false) => ({ id, tag_name, name: tag_name, html_url: '', draft, prerelease: false }) as GiteaRelease;

describe('diffRefs', () => {
  it('before a baseline: records every unknown ref silently, announces only moves and deletions of known branches', () => {
    const r = diffRefs({ main: 'a' }, { branches: [br('main', 'b'), br('dev', 'c')], tags: [tag('v1', 'a')], releases: [rel('v1')] });
    expect(r.changes.map((c) => c.kind)).toEqual(['moved']);
    expect(r.record).toEqual([['dev', 'seen:c'], ['release:v1', 'seen:1'], ['tag:v1', 'seen:a'], [':baseline', 'complete']]);
  });

  it('after a baseline: created, moved, deleted, tagged, released; a new tag with its release is the release only; drafts wait', () => {
    const known = { ':baseline': 'complete', main: 'a', old: 'x', 'tag:v0': 'seen:z' };
    const r = diffRefs(known, {
      branches: [br('main', 'b'), br('feature', 'c')],
      tags: [tag('v0', 'z'), tag('v1', 'b'), tag('v2', 'b'), tag('v3', 'b')],
      releases: [rel('v2', 7), rel('v3', 8, true)],
    });
    expect(r.changes.map((c) => [c.kind, 'branch' in c ? (typeof c.branch === 'string' ? c.branch : c.branch.name) : 'tag' in c ? c.tag.name : c.release.tag_name])).toEqual([
      ['moved', 'main'], ['created', 'feature'], ['deleted', 'old'], ['released', 'v2'], ['tagged', 'v1'], ['tagged', 'v3'],
    ]);
    expect(r.record).toEqual([['tag:v2', 'seen:b']]);
  });
});

const item = (o: Partial<NoticeItem>) => ({ kind: 'push', before: 'a', after: 'b', ...o }) as NoticeItem;

describe('alreadyKnown', () => {
  it.each([
    ['catch-up move still new', item({}), true, 'a', null],
    ['catch-up move overtaken by a live push', item({}), true, 'c', 'superseded'],
    ['catch-up new branch', item({ kind: 'branch_created' }), true, undefined, null],
    ['catch-up new branch already recorded', item({ kind: 'branch_created' }), true, 'b', 'superseded'],
    ['catch-up deletion of a recorded branch', item({ kind: 'branch_deleted' }), true, 'x', null],
    ['catch-up deletion already recorded', item({ kind: 'branch_deleted' }), true, undefined, 'superseded'],
    ['catch-up tag already seen', item({ kind: 'tag_pushed' }), true, 'seen:b', 'superseded'],
    ['live push catch-up announced', item({}), false, 'b', 'already announced'],
    ['live push', item({}), false, 'a', null],
    // The baseline listing ran after this push reached Gitea but before its delivery was processed.
    ['live push to a head only seen in the baseline', item({}), false, 'seen:b', null],
    ['catch-up push from a head only seen in the baseline', item({}), true, 'seen:a', null],
    ['live tag catch-up announced', item({ kind: 'tag_pushed' }), false, 'b', 'already announced'],
    ['live tag only in the baseline', item({ kind: 'tag_pushed' }), false, 'seen:b', null],
    ['live release catch-up announced', item({ kind: 'release' }), false, '7', 'already announced'],
    ['live release only in the baseline', item({ kind: 'release' }), false, 'seen:7', null],
  ] as const)('%s', (_n, i, catchUp, known, want) => {
    const got = alreadyKnown(i, catchUp, known);
    if (want === null) expect(got).toBeNull();
    else expect(got).toContain(want);
  });
});
