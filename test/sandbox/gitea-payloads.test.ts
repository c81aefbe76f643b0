// Payload shape and push semantics of the Gitea stand-in, on an ordinary (unseeded) sandbox:
// the same keys in the same order as Gitea's example bodies, Go's byte format, and §2.2 semantics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/sandbox/gitea/index.ts';
import type { Receiver, Running } from './gitea/helpers.ts';
import { addHook, fixture, keyPaths, startReceiver, startSandbox } from './gitea/helpers.ts';

const ZERO = '0'.repeat(40);
const body = (d: Delivery | undefined) => JSON.parse(d?.body ?? 'null') as Record<string, any>;

describe('gitea stand-in payloads', () => {
  let run: Running;
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
    run = await startSandbox();
    run.sandbox.addOrg('acme');
    run.sandbox.addUser('dora', { fullName: 'Dora Explorer', email: 'dora@example.org' });
    await run.sandbox.addRepo('acme/widget');
    await addHook(run, '/repos/acme/widget', receiver.url);
  });
  afterEach(async () => {
    await run.close();
    await receiver.close();
  });

  describe('keys in the same order as the example bodies (recursively)', () => {
    it('push matches push-3-commits.json', async () => {
      const [d] = await run.sandbox.push('acme/widget', { commits: 3 });
      expect(keyPaths(body(d))).toEqual(keyPaths(JSON.parse(fixture('push-3-commits.json'))));
    });

    it('new branch: create matches create-branch.json, push matches push-new-branch.json', async () => {
      const [create, push] = await run.sandbox.createBranch('acme/widget', 'feature/x', { commits: 2 });
      expect(keyPaths(body(create))).toEqual(keyPaths(JSON.parse(fixture('create-branch.json'))));
      expect(keyPaths(body(push))).toEqual(keyPaths(JSON.parse(fixture('push-new-branch.json'))));
    });

    it('delete matches delete-branch.json', async () => {
      await run.sandbox.createBranch('acme/widget', 'old');
      const [d] = await run.sandbox.deleteBranch('acme/widget', 'old');
      expect(keyPaths(body(d))).toEqual(keyPaths(JSON.parse(fixture('delete-branch.json'))));
    });

    it('tag push and create match push-tag-create.json and create-tag.json; deletion matches push-tag-delete.json', async () => {
      const [push, create] = await run.sandbox.pushTag('acme/widget', 'v1.0.0');
      expect(keyPaths(body(push))).toEqual(keyPaths(JSON.parse(fixture('push-tag-create.json'))));
      expect(keyPaths(body(create))).toEqual(keyPaths(JSON.parse(fixture('create-tag.json'))));
      const [gone] = await run.sandbox.deleteTag('acme/widget', 'v1.0.0');
      expect(keyPaths(body(gone))).toEqual(keyPaths(JSON.parse(fixture('push-tag-delete.json'))));
    });

    it('release matches release-published.json', async () => {
      const deliveries = await run.sandbox.publishRelease('acme/widget', 'v2.0.0', { name: 'Two', body: 'notes' });
      expect(keyPaths(body(deliveries[2]))).toEqual(keyPaths(JSON.parse(fixture('release-published.json'))));
    });
  });

  describe('bytes', () => {
    it('escapes <, >, & and U+2028/U+2029 like Go, keeps other UTF-8 raw, 2-space indent, no trailing newline', async () => {
      const [d] = await run.sandbox.push('acme/widget', { commits: [{ message: 'Fix <br> & é\u2028x' }] });
      const raw = d?.body ?? '';
      expect(raw).toContain('"message": "Fix \\u003cbr\\u003e \\u0026 é\\u2028x\\n"');
      expect(raw).not.toMatch(/[<>&\u2028]/);
      expect(raw.startsWith('{\n  "ref": "refs/heads/main",\n  "before": ')).toBe(true);
      expect(raw.endsWith('\n}')).toBe(true);
      expect(body(d).commits[0].message).toBe('Fix <br> & é\u2028x\n');
    });

    it('the repository event (created) goes to org hooks with a 1-space indent', async () => {
      await addHook(run, '/orgs/acme', receiver.url);
      const [d] = await run.sandbox.addRepo('acme/gadget');
      expect(d?.event).toBe('repository');
      expect(d?.body.startsWith('{\n "action": "created",\n "repository": {\n  "id": ')).toBe(true);
      expect(Object.keys(body(d))).toEqual(['action', 'repository', 'organization', 'sender']);
    });
  });

  describe('push semantics (FACTS §2.2)', () => {
    it('lists at most 5 commits, newest first, while total_commits is the real count', async () => {
      const before = run.sandbox.branchHeads('acme/widget').main;
      const [d] = await run.sandbox.push('acme/widget', { commits: 7 });
      const p = body(d);
      expect(p.total_commits).toBe(7);
      expect(p.commits.map((c: any) => c.message)).toEqual([7, 6, 5, 4, 3].map((n) => `Change on main ${n}\n`));
      expect(p.head_commit).toEqual(p.commits[0]);
      expect(p.after).toBe(run.sandbox.branchHeads('acme/widget').main);
      expect(p.before).toBe(before);
      expect(p.compare_url).toBe(`${run.url}/acme/widget/compare/${before}...${p.after}`);
      expect(p.commits[0].url).toBe(`${run.url}/acme/widget/commit/${p.after}`);
      expect(p.commits[0].verification).toBeNull();
    });

    it('pusher and sender are User objects with the placeholder email; authors get a username only when a user owns the email', async () => {
      const [d] = await run.sandbox.push('acme/widget', {
        pusher: 'dora',
        commits: [{ message: 'a', author: { name: 'Stranger', email: 'x@y.z' } }, { message: 'b' }],
      });
      const p = body(d);
      expect(p.pusher).toMatchObject({ login: 'dora', email: 'dora@noreply.localhost', username: 'dora', full_name: 'Dora Explorer' });
      expect(p.sender).toEqual(p.pusher);
      expect(p.commits[1].author).toEqual({ name: 'Stranger', email: 'x@y.z', username: '' });
      expect(p.commits[0].author).toEqual({ name: 'Dora Explorer', email: 'dora@example.org', username: 'dora' });
    });

    it('new branch: create queued first; push has zero before, lists up to 10 commits and compares against the oldest listed parent', async () => {
      await run.sandbox.push('acme/widget', { commits: 12 });
      const deliveries = await run.sandbox.createBranch('acme/widget', 'feature/y', { commits: 1 });
      expect(deliveries.map((d) => d.event)).toEqual(['create', 'push']);
      const create = body(deliveries[0]);
      const push = body(deliveries[1]);
      expect(create).toMatchObject({ ref: 'feature/y', ref_type: 'branch', sha: push.after });
      expect(push.before).toBe(ZERO);
      expect(push.total_commits).toBe(10);
      expect(push.commits).toHaveLength(5);
      expect(push.compare_url).toMatch(new RegExp(`^${run.url}/acme/widget/compare/[0-9a-f]{40}\\.\\.\\.${push.after}$`));
      expect(push.compare_url).not.toContain(ZERO);
    });

    it('a first push to an empty repository is a new branch whose compare_url is the bare ROOT_URL', async () => {
      await run.sandbox.addRepo('acme/blank', { empty: true });
      await addHook(run, '/repos/acme/blank', receiver.url);
      const deliveries = await run.sandbox.push('acme/blank', { commits: 2 });
      expect(deliveries.map((d) => d.event)).toEqual(['create', 'push']);
      expect(body(deliveries[1])).toMatchObject({ before: ZERO, total_commits: 2, compare_url: `${run.url}/` });
      expect(body(deliveries[1]).repository.empty).toBe(false);
    });

    it('branch deletion sends only delete; tag deletion sends push (zero after, null head, bare ROOT_URL) then delete', async () => {
      await run.sandbox.createBranch('acme/widget', 'gone');
      expect((await run.sandbox.deleteBranch('acme/widget', 'gone')).map((d) => d.event)).toEqual(['delete']);
      await run.sandbox.pushTag('acme/widget', 'v1');
      const [push, del] = await run.sandbox.deleteTag('acme/widget', 'v1');
      expect(body(push)).toMatchObject({ ref: 'refs/tags/v1', after: ZERO, commits: [], total_commits: 0, head_commit: null, compare_url: `${run.url}/` });
      expect(body(del)).toMatchObject({ ref: 'v1', ref_type: 'tag', pusher_type: 'user' });
    });

    it('an annotated tag push carries the tag object id as after/sha and the tagged commit as head_commit', async () => {
      const head = run.sandbox.branchHeads('acme/widget').main;
      const [push, create] = await run.sandbox.pushTag('acme/widget', 'v1');
      const p = body(push);
      expect(p).toMatchObject({ ref: 'refs/tags/v1', before: ZERO, commits: [], total_commits: 0 });
      expect(p.head_commit.id).toBe(head);
      expect(p.after).not.toBe(head);
      expect(p.compare_url).toBe(`${run.url}/acme/widget/compare/${ZERO}...${p.after}`);
      expect(body(create)).toMatchObject({ sha: p.after, ref: 'v1', ref_type: 'tag' });
    });

    it('a release on an existing tag sends only the release event', async () => {
      await run.sandbox.pushTag('acme/widget', 'v3');
      const deliveries = await run.sandbox.publishRelease('acme/widget', 'v3', { prerelease: true });
      expect(deliveries.map((d) => d.event)).toEqual(['release']);
      expect(body(deliveries[0]).release).toMatchObject({ tag_name: 'v3', name: 'v3', prerelease: true, draft: false, assets: [] });
      expect(body(deliveries[0]).repository.release_counter).toBe(1);
    });
  });
});
