// The strongest contract check: seeded with the state Gitea's example bodies were generated from,
// the stand-in must send those bodies BYTE FOR BYTE, with the signatures listed in HEADERS.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitSpec, Delivery } from '../../src/sandbox/gitea/index.ts';
import type { Receiver, Running } from './gitea/helpers.ts';
import { addHook, fixture, startReceiver, startSandbox } from './gitea/helpers.ts';

const SECRET = 's3cr3t-Gitea-hook!';
const ROOT = 'http://localhost:3000/';

interface FixtureCommit { id: string; message: string; author: CommitSpec['author']; committer: CommitSpec['committer']; timestamp: string; added: string[]; removed: string[]; modified: string[] }

const commitsOf = (name: string) => (JSON.parse(fixture(name)) as { commits: FixtureCommit[] }).commits;
/** Fixture commits (newest first) as specs to create (oldest first). */
const specsOf = (commits: FixtureCommit[]): CommitSpec[] => [...commits].reverse().map((c) => ({ ...c }));

/** `| file | sha256 | sha1 |` rows of the signature table in HEADERS.md. */
function signatureTable(): Map<string, { sha256: string; sha1: string }> {
  const rows = new Map<string, { sha256: string; sha1: string }>();
  for (const m of fixture('HEADERS.md').matchAll(/^\| ([a-z0-9-]+\.json) \| ([0-9a-f]{64}) \| ([0-9a-f]{40}) \|$/gm)) {
    rows.set(m[1] as string, { sha256: m[2] as string, sha1: m[3] as string });
  }
  return rows;
}

function expectExactly(d: Delivery | undefined, file: string, event: string): void {
  expect(d, `a delivery for ${file}`).toBeDefined();
  const delivery = d as Delivery;
  expect(delivery.event).toBe(event);
  expect(delivery.body).toBe(fixture(file));
  const sig = signatureTable().get(file);
  expect(sig, `HEADERS.md lists ${file}`).toBeDefined();
  expect(delivery.requestHeaders['X-Gitea-Signature']).toBe(sig?.sha256);
  expect(delivery.requestHeaders['X-Hub-Signature-256']).toBe(`sha256=${sig?.sha256}`);
  expect(delivery.requestHeaders['X-Hub-Signature']).toBe(`sha1=${sig?.sha1}`);
  expect(delivery.requestHeaders['Content-Length']).toBe(String(Buffer.byteLength(fixture(file))));
}

describe('gitea stand-in reproduces Gitea v1.25.4 example bodies byte for byte', () => {
  let run: Running;
  let receiver: Receiver;
  let clock = new Date('2024-01-10T09:00:00Z');
  const repo = 'alice/demo';

  beforeAll(async () => {
    receiver = await startReceiver();
    run = await startSandbox({ tokenUser: 'alice', rootUrl: ROOT, now: () => clock });
    const { sandbox } = run;
    sandbox.addUser('alice', { fullName: 'Alice Liddell', email: 'alice@example.com' });
    sandbox.addUser('bob', { fullName: 'Bob Builder', email: 'bob@example.com' });
    clock = new Date('2024-01-10T09:05:00Z');
    // Main's early history: the new-branch push lists 10 commits and compares against f4425dc.
    const history: CommitSpec[] = [
      { id: 'f4425dc3ba17efbd39cd96c1f55a064c49bc203b', message: 'Initial commit' },
      { message: 'Add README' },
      { message: 'Add license' },
      { message: 'Add config' },
      { id: 'b0bd943fdeff95eb270517001b478d76c2ffd8f4', message: 'Add web skeleton' },
    ];
    await sandbox.addRepo(repo, { id: 7, description: 'Demo repository', size: 48, history });
    clock = new Date('2024-05-02T08:15:00Z');
    await addHook(run, `/repos/${repo}`, receiver.url, {}, { secret: SECRET });
  });
  afterAll(async () => {
    await run.close();
    await receiver.close();
  });

  it('push of 1 commit (push-1-commit.json)', async () => {
    const [d] = await run.sandbox.push(repo, { commits: specsOf(commitsOf('push-1-commit.json')), pusher: 'alice' });
    expectExactly(d, 'push-1-commit.json', 'push');
  });

  it('push of 3 commits with <br> & é in a message (push-3-commits.json)', async () => {
    const [d] = await run.sandbox.push(repo, { commits: specsOf(commitsOf('push-3-commits.json')), pusher: 'alice' });
    expectExactly(d, 'push-3-commits.json', 'push');
  });

  it('new branch: create first, then a push listing 10 commits (create-branch.json, push-new-branch.json)', async () => {
    const listed = commitsOf('push-new-branch.json');
    const [create, push] = await run.sandbox.createBranch(repo, 'feature/login', { commits: specsOf(listed.slice(0, 2)), pusher: 'alice' });
    expectExactly(create, 'create-branch.json', 'create');
    expectExactly(push, 'push-new-branch.json', 'push');
  });

  it('push of 25 commits lists the newest 5 (push-25-commits.json)', async () => {
    const filler: CommitSpec[] = Array.from({ length: 20 }, (_, i) => ({ message: `Bulk change ${i + 1}`, author: { name: 'Bob Builder', email: 'bob@example.com' } }));
    const deliveries = await run.sandbox.push(repo, { commits: [...filler, ...specsOf(commitsOf('push-25-commits.json'))], pusher: 'alice' });
    expect(deliveries).toHaveLength(1);
    expectExactly(deliveries[0], 'push-25-commits.json', 'push');
  });

  it('annotated tag push: push then create (push-tag-create.json, create-tag.json)', async () => {
    const [push, create] = await run.sandbox.pushTag(repo, 'v1.0.0', { objectId: '0569d95d17b14464f2864a35c162077114f426d4', pusher: 'alice' });
    expectExactly(push, 'push-tag-create.json', 'push');
    expectExactly(create, 'create-tag.json', 'create');
  });

  it('tag deletion: push with zero after, then delete (push-tag-delete.json)', async () => {
    const [push, del] = await run.sandbox.deleteTag(repo, 'v1.0.0', { pusher: 'alice' });
    expectExactly(push, 'push-tag-delete.json', 'push');
    expect(del?.event).toBe('delete');
    expect(JSON.parse(del?.body ?? '{}')).toMatchObject({ ref: 'v1.0.0', ref_type: 'tag', pusher_type: 'user' });
  });

  it('branch deletion sends only a delete event (delete-branch.json)', async () => {
    const deliveries = await run.sandbox.deleteBranch(repo, 'feature/login', { pusher: 'alice' });
    expect(deliveries.map((d) => d.event)).toEqual(['delete']);
    expectExactly(deliveries[0], 'delete-branch.json', 'delete');
  });

  it('the API test endpoint (push-api-test.json)', async () => {
    const before = run.sandbox.deliveries.length;
    const hookId = run.sandbox.hooks(repo)[0]?.id;
    const res = await run.api('POST', `/repos/${repo}/hooks/${hookId}/tests`);
    expect(res.status).toBe(204);
    await run.sandbox.idle();
    expect(run.sandbox.deliveries).toHaveLength(before + 1);
    expectExactly(run.sandbox.deliveries[before], 'push-api-test.json', 'push');
  });

  it('release with a new tag: push, create, then release published (release-published.json)', async () => {
    clock = new Date('2024-05-05T14:00:00Z');
    const deliveries = await run.sandbox.publishRelease(repo, 'v1.1.0', { id: 3, name: 'Version 1.1.0', body: '## Changes\n\n- Login form\n- Bulk data update\n', pusher: 'alice' });
    expect(deliveries.map((d) => d.event)).toEqual(['push', 'create', 'release']);
    expectExactly(deliveries[2], 'release-published.json', 'release');
  });

  it('every delivery reached the receiver with the recorded bytes', async () => {
    const sent = run.sandbox.deliveries;
    const received = await receiver.waitFor(sent.length);
    expect(received.map((r) => r.body)).toEqual(sent.map((d) => d.body));
    expect(received.map((r) => r.headers['x-gitea-delivery'])).toEqual(sent.map((d) => d.uuid));
  });
});
