import { describe, expect, it } from 'vitest';
import type { GiteaHook, HookBody, HookTarget } from '../../src/adapters/gitea/types.ts';
import { plan, type ListedTarget, type PlanInput } from '../../src/reconcile/plan.ts';
import type { PlanAction } from '../../src/reconcile/plan-types.ts';

const URL_OURS = 'https://monitor.example.com/webhook/gitea';
const FP = 'fp-current';
const body: HookBody = {
  type: 'gitea', config: { url: URL_OURS, content_type: 'json' }, events: ['push', 'create', 'delete', 'release'],
  branch_filter: '', authorization_header: '', active: true,
};
const repo = (r: string): HookTarget => ({ kind: 'repo', repo: r });
let nextId = 100;
function hook(over: Partial<GiteaHook> & { url?: string } = {}): GiteaHook {
  const { url, ...rest } = over;
  return {
    id: nextId++, type: 'gitea', config: { url: url ?? URL_OURS, content_type: 'json' }, events: ['release', 'delete', 'push', 'create'],
    branch_filter: '', authorization_header: '', active: true, ...rest,
  };
}

function input(over: {
  targets?: string[];
  listed: Array<[string, GiteaHook[] | null, Partial<ListedTarget>?]>;
  remembered?: Record<string, Record<number, string>>;
  complete?: boolean;
  prune?: boolean;
}): PlanInput {
  return {
    desired: { publicUrl: URL_OURS, body, targets: (over.targets ?? []).map(repo), complete: over.complete ?? true, problems: over.complete === false ? ['page 2 failed'] : [] },
    listed: over.listed.map(([r, hooks, extra]) => ({ target: repo(r), hooks, ...extra })),
    remembered: new Map(Object.entries(over.remembered ?? {}).map(([k, v]) => [k, new Map(Object.entries(v).map(([id, fp]) => [Number(id), fp]))])),
    fingerprint: FP,
    prune: over.prune ?? true,
  };
}

const kinds = (actions: PlanAction[]) => actions.map((a) => `${a.kind} ${a.target.kind === 'repo' ? a.target.repo : a.target.org}${'hookId' in a ? '#' + a.hookId : ''}`);

describe('plan: creates, updates, no-ops', () => {
  it('creates a hook where none of ours exists and leaves a foreign one alone', () => {
    const foreign = hook({ url: 'https://ci.example.com/hook' });
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [foreign]]] }));
    expect(kinds(p.actions)).toEqual(['create o/a']);
    expect(p.foreign).toEqual([{ target: repo('o/a'), hookId: foreign.id, url: expect.stringMatching(/^https:\/\/ci\.example\.com \(url #[0-9a-f]{8}\)$/), type: 'gitea' }]);
    expect(p.counts).toEqual({ create: 1, update: 0, delete: 0, rotate: 0, foreign: 1 });
  });

  it('plans nothing when our hook matches (events compared as sets, in any order)', () => {
    const h = hook();
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [h]]], remembered: { 'repo:o/a': { [h.id]: FP } } }));
    expect(p.actions).toEqual([]);
    expect(p.adopt).toEqual([]);
  });

  it('treats a URL that differs only in case, default port or trailing slash as ours, and fixes the URL', () => {
    const h = hook({ url: 'HTTPS://Monitor.Example.com:443/webhook/gitea/' });
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [h]]], remembered: { 'repo:o/a': { [h.id]: FP } } }));
    expect(p.actions).toEqual([{ kind: 'update', target: repo('o/a'), hookId: h.id, changes: [{ field: 'url', before: 'https://monitor.example.com/webhook/gitea/', after: URL_OURS }] }]);
    expect(p.foreign).toEqual([]);
  });

  it.each([
    ['events', { events: ['push'] }, { field: 'events', before: '[push]', after: '[create, delete, push, release]' }],
    ['active', { active: false }, { field: 'active', before: 'false', after: 'true' }],
    ['content_type', { config: { url: URL_OURS, content_type: 'form' } }, { field: 'content_type', before: '"form"', after: '"json"' }],
    ['branch_filter', { branch_filter: 'main' }, { field: 'branch_filter', before: '"main"', after: '""' }],
    ['authorization_header (masked)', { authorization_header: 'Bearer s3cr3t' }, { field: 'authorization_header', before: '(set)', after: '(none)' }],
  ] as const)('updates drift in %s', (_name, drift, change) => {
    const h = hook(drift as Partial<GiteaHook>);
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [h]]], remembered: { 'repo:o/a': { [h.id]: FP } } }));
    expect(p.actions).toEqual([{ kind: 'update', target: repo('o/a'), hookId: h.id, changes: [change] }]);
    expect(JSON.stringify(p)).not.toContain('s3cr3t');
  });

  it('compares events the way Gitea expands groups (issues = its family; returned "issues" = issues_only)', () => {
    const b = { ...body, events: ['push', 'issues'] };
    const expanded = hook({ events: ['issue_comment', 'push', 'issues', 'issue_label', 'issue_milestone', 'issue_assign'] });
    const onlyIssues = hook({ events: ['push', 'issues'] });
    const base = input({ targets: ['o/a', 'o/b'], listed: [['o/a', [expanded]], ['o/b', [onlyIssues]]], remembered: { 'repo:o/a': { [expanded.id]: FP }, 'repo:o/b': { [onlyIssues.id]: FP } } });
    const p = plan({ ...base, desired: { ...base.desired, body: b } });
    expect(kinds(p.actions)).toEqual([`update o/b#${onlyIssues.id}`]);
  });
});

describe('plan: duplicates, rotation, adoption', () => {
  it('keeps one copy of our hook (the remembered one) and deletes the extra copies', () => {
    const a = hook();
    const b = hook();
    const c = hook({ active: false });
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [a, b, c]]], remembered: { 'repo:o/a': { [b.id]: FP } } }));
    expect(kinds(p.actions)).toEqual([`delete o/a#${a.id}`, `delete o/a#${c.id}`]);
    expect(p.actions.every((x) => x.kind !== 'delete' || x.reason === 'duplicate')).toBe(true);
  });

  it('rotates (create then delete) when the remembered fingerprint differs', () => {
    const h = hook({ events: ['push'] });
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [h]]], remembered: { 'repo:o/a': { [h.id]: 'fp-old' } } }));
    expect(p.actions).toEqual([{ kind: 'rotate', target: repo('o/a'), hookId: h.id, deleteOld: true }]);
    expect(p.counts.rotate).toBe(1);
    expect(p.massDelete).toBeNull();
  });

  it('after a half-done rotation keeps the new hook and deletes the old one', () => {
    const old = hook();
    const fresh = hook();
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [old, fresh]]], remembered: { 'repo:o/a': { [old.id]: 'fp-old', [fresh.id]: FP } } }));
    expect(p.actions).toEqual([{ kind: 'delete', target: repo('o/a'), hookId: old.id, reason: 'replaced' }]);
  });

  it('finishing many half-done rotations is not a mass deletion', () => {
    const names = ['o/a', 'o/b', 'o/c', 'o/d', 'o/e'];
    const pairs = names.map((n) => [n, hook(), hook()] as const);
    const p = plan(input({
      targets: names,
      listed: pairs.map(([n, old, fresh]) => [n, [old, fresh]]),
      remembered: Object.fromEntries(pairs.map(([n, old, fresh]) => [`repo:${n}`, { [old.id]: 'fp-old', [fresh.id]: FP }])),
    }));
    expect(p.counts.delete).toBe(5);
    expect(p.massDelete).toBeNull();
  });

  it('adopts our hook when the state does not know it: no rotation, fingerprint recorded', () => {
    const h = hook({ active: false });
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [h]]] }));
    expect(p.adopt).toEqual([{ target: repo('o/a'), hookId: h.id }]);
    expect(kinds(p.actions)).toEqual([`update o/a#${h.id}`]);
  });

  it('forgets remembered hooks that are gone from Gitea and recreates', () => {
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', []]], remembered: { 'repo:o/a': { 7: FP } } }));
    expect(p.forget).toEqual([{ target: repo('o/a'), hookId: 7 }]);
    expect(kinds(p.actions)).toEqual(['create o/a']);
  });
});

describe('plan: deletions and safety', () => {
  const manyOurs = (n: number) => Array.from({ length: n }, (_, i) => `o/r${String(i).padStart(2, '0')}`);

  it('deletes our hook on a repository no longer declared, leaving the foreign one', () => {
    const ours = hook();
    const foreign = hook({ url: 'https://ci.example.com/hook' });
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [hook()]], ['o/gone', [ours, foreign]]], remembered: { 'repo:o/gone': { [ours.id]: FP } } }));
    expect(p.actions.filter((a) => a.kind === 'delete')).toEqual([{ kind: 'delete', target: repo('o/gone'), hookId: ours.id, reason: 'undeclared' }]);
    expect(p.foreign.map((f) => f.hookId)).toEqual([foreign.id]);
  });

  it('forgets a remembered target that no longer exists (404) without calling it incomplete', () => {
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [hook()]], ['o/deleted', null, { gone: true, error: 'not found' }]], remembered: { 'repo:o/deleted': { 9: FP } } }));
    expect(p.complete).toBe(true);
    expect(p.forget).toEqual([{ target: repo('o/deleted'), hookId: 9 }]);
  });

  it('holds back every deletion when one hook listing failed, but still creates and updates', () => {
    const stale = hook();
    const dup1 = hook();
    const dup2 = hook({ active: false });
    const p = plan(input({
      targets: ['o/a', 'o/b', 'o/c'],
      listed: [['o/a', [dup1, dup2]], ['o/b', []], ['o/c', null, { error: 'Gitea answered 500' }], ['o/gone', [stale]]],
    }));
    expect(p.complete).toBe(false);
    expect(p.actions.some((a) => a.kind === 'delete')).toBe(false);
    expect(kinds(p.actions)).toEqual(['create o/b']);
    expect(p.heldBack.reasons).toEqual(['incomplete-listing']);
    expect(p.heldBack.deletes.map((d) => d.hookId).sort()).toEqual([dup2.id, stale.id].sort());
    expect(p.problems.join('\n')).toContain('o/c: Gitea answered 500');
  });

  it('holds back deletions when the owner listing was incomplete', () => {
    const stale = hook();
    const p = plan(input({ targets: ['o/a'], complete: false, listed: [['o/a', []], ['o/gone', [stale]]] }));
    expect(kinds(p.actions)).toEqual(['create o/a']);
    expect(p.heldBack.deletes).toHaveLength(1);
  });

  it('keeps the old hook of a rotation while deletions are held back', () => {
    const h = hook();
    const p = plan(input({ targets: ['o/a'], listed: [['o/a', [h]], ['o/x', null, { error: 'boom' }]], remembered: { 'repo:o/a': { [h.id]: 'fp-old' } } }));
    expect(p.actions).toEqual([{ kind: 'rotate', target: repo('o/a'), hookId: h.id, deleteOld: false }]);
  });

  it('flags a file that matches no repository as a mass deletion, however few hooks would go', () => {
    const h = hook();
    const p = plan(input({ targets: [], listed: [['o/a', [h]]], remembered: { 'repo:o/a': { [h.id]: FP } } }));
    expect(p.actions).toEqual([{ kind: 'delete', target: repo('o/a'), hookId: h.id, reason: 'undeclared' }]);
    expect(p.massDelete).toEqual({ deletes: 1, ours: 1, limit: 3, reason: 'matches-nothing' });
    expect(plan(input({ targets: [], listed: [['o/a', []]] })).massDelete).toBeNull(); // nothing of ours to lose
  });

  it('deletes nothing at all with reconcile.prune false', () => {
    const a = hook();
    const b = hook();
    const p = plan(input({ prune: false, targets: ['o/a'], listed: [['o/a', [a, b]], ['o/gone', [hook()]]], remembered: { 'repo:o/a': { [a.id]: FP } } }));
    expect(p.actions).toEqual([]);
    expect(p.heldBack.reasons).toEqual(['prune-disabled']);
    expect(p.heldBack.deletes).toHaveLength(2);
  });

  it.each([
    // [our hooks, deletions, flagged]
    [4, 3, false], // max(3, 1) = 3: 3 is allowed
    [4, 4, true],
    [16, 4, false], // max(3, 4) = 4
    [16, 5, true],
    [100, 25, false],
    [100, 26, true],
  ])('with %i of our hooks, %i deletions → massDelete %s', (ours, deletions, flagged) => {
    const names = manyOurs(ours);
    // o/new keeps the desired set non-empty even when every existing hook goes.
    const keep = [...names.slice(deletions), 'o/new'];
    const listed = [...names.map((n) => [n, [hook()]] as [string, GiteaHook[]]), ['o/new', []] as [string, GiteaHook[]]];
    const p = plan(input({ targets: keep, listed }));
    expect(p.counts.delete).toBe(deletions);
    expect(p.massDelete !== null).toBe(flagged);
    if (flagged) expect(p.massDelete).toEqual({ deletes: deletions, ours, limit: Math.max(3, Math.floor(ours / 4)), reason: 'too-many' });
  });

  it('is pure: the same input gives the same plan, and the input is not modified', () => {
    const i = input({ targets: ['o/a', 'o/b'], listed: [['o/b', [hook({ active: false })]], ['o/a', []], ['o/c', [hook()]]] });
    const snapshot = JSON.stringify(i, (_k, v) => (v instanceof Map ? [...v] : v));
    expect(plan(i)).toEqual(plan(i));
    expect(JSON.stringify(i, (_k, v) => (v instanceof Map ? [...v] : v))).toBe(snapshot);
    expect(kinds(plan(i).actions)).toEqual(['create o/a', expect.stringMatching(/^update o\/b#/), expect.stringMatching(/^delete o\/c#/)]);
  });
});
