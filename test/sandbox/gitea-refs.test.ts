// The stand-in's tags, releases and compare endpoints against Gitea's swagger (what catch-up reads),
// and the client reading them over real HTTP.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSandbox, TOKEN, type Running } from './gitea/helpers.ts';
import { swaggerErrors } from './gitea/swagger.ts';
import { createGiteaClient } from '../../src/adapters/gitea/client.ts';
import { Secret } from '../../src/secret.ts';

let run: Running;
let base: string;
beforeEach(async () => {
  run = await startSandbox();
  run.sandbox.addOrg('acme');
  run.sandbox.addUser('alice');
  await run.sandbox.addRepo('acme/widget');
  base = run.sandbox.branchHeads('acme/widget').main!;
  await run.sandbox.push('acme/widget', { pusher: 'alice', commits: [{ message: 'One', author: { name: 'Alice', email: 'alice@example.com' } }, { message: 'Two\n\nbody', author: { name: 'Alice', email: 'alice@example.com' } }] });
  await run.sandbox.pushTag('acme/widget', 'v1.0.0', { pusher: 'alice' }); // annotated: its own object id
  await run.sandbox.publishRelease('acme/widget', 'v1.1.0', { name: 'One one', pusher: 'alice' });
});
afterEach(() => run.close());

it('lists tags as Gitea does: id is the tag object, commit.sha the commit, with X-Total-Count', async () => {
  const res = await run.api('GET', '/repos/acme/widget/tags');
  expect(res.status).toBe(200);
  expect(res.headers.get('x-total-count')).toBe('2');
  const tags = res.json as Array<{ name: string; id: string; commit: { sha: string } }>;
  for (const t of tags) expect(swaggerErrors('StrictTag', t)).toBeNull();
  const head = run.sandbox.branchHeads('acme/widget').main!;
  const v1 = tags.find((t) => t.name === 'v1.0.0')!;
  expect(v1.commit.sha).toBe(head);
  expect(v1.id).not.toBe(head);
  expect(tags.find((t) => t.name === 'v1.1.0')!.id).toBe(head); // lightweight (made by the release)
});

it('lists releases and compares two refs (newest first, the real total)', async () => {
  const rel = await run.api('GET', '/repos/acme/widget/releases');
  expect(rel.status).toBe(200);
  const releases = rel.json as Array<{ tag_name: string; name: string }>;
  expect(releases.map((r) => [r.tag_name, r.name])).toEqual([['v1.1.0', 'One one']]);
  expect(swaggerErrors('StrictRelease', releases[0])).toBeNull();

  const head = run.sandbox.branchHeads('acme/widget').main!;
  const cmp = await run.api('GET', `/repos/acme/widget/compare/${base}...main`);
  expect(cmp.status).toBe(200);
  expect(swaggerErrors('StrictCompare', cmp.json)).toBeNull();
  const c = cmp.json as { total_commits: number; commits: Array<{ sha: string; commit: { message: string }; author: { login: string } | null }> };
  expect(c.total_commits).toBe(2);
  for (const x of c.commits) expect(swaggerErrors('StrictCommit', x)).toBeNull();
  expect(c.commits.map((x) => x.commit.message)).toEqual(['Two\n\nbody\n', 'One\n']);
  expect(c.commits[0]!.sha).toBe(head);
  expect(c.commits[0]!.author?.login).toBe('alice'); // the Gitea user owning the email
  expect((await run.api('GET', `/repos/acme/widget/compare/${base}...nope`)).status).toBe(404);
});

it('the client reads tags, releases and a compare', async () => {
  const client = createGiteaClient({ baseUrl: run.url, token: new Secret(TOKEN) });
  expect((await client.listTags('acme/widget', 1, 50)).items.map((t) => t.name).sort()).toEqual(['v1.0.0', 'v1.1.0']);
  expect((await client.listReleases('acme/widget', 1, 50)).items[0]!.tag_name).toBe('v1.1.0');
  const cmp = await client.compare('acme/widget', base, run.sandbox.branchHeads('acme/widget').main!);
  expect(cmp.total).toBe(2);
  expect(cmp.commits[1]!.commit.message).toBe('One\n');
});
