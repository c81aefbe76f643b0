// Reconcile inside the daemon: a secret rotation rolled out by a reload (make-before-break) with a
// push delivered mid-rotation announced once; a repository created after start picked up.
import { afterEach, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const REPOS = ['dataforge/api', 'dataforge/web', 'dataforge/pipelines'];
const ours = (repo: string) => w.gitea.hooks(repo).filter((h) => h.url === w.publicUrl);

it('rotates the secret onto every hook, and a push during the rotation is announced once', async () => {
  w = await startWorld();
  d = await startWorldDaemon(w, { hooks: superviseHooks, reload: { env: w.env, cwd: w.dir, rehashMs: 600_000 } });
  await expect.poll(() => REPOS.every((r) => ours(r).length === 1), { timeout: 5000 }).toBe(true);
  expect(ours('dataforge/api')[0]!.secret).toBe(SECRETS.WEBHOOK_SECRET);

  // New secret in, the old one kept under previous_secrets: the reload rotates every hook.
  w.env.NEW_SECRET = 'rotated-secret-5a5a5a5a';
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace('  secret: { env: WEBHOOK_SECRET }', '  secret: { env: NEW_SECRET }\n  previous_secrets: [{ env: WEBHOOK_SECRET }]'));
  // Mid-rotation, as reconcile leaves it for a moment: the new hook exists beside the old one.
  const res = await fetch(`${w.gitea.url}/api/v1/repos/dataforge/api/hooks`, {
    method: 'POST',
    headers: { authorization: `token ${SECRETS.GITEA_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'gitea', active: true, events: ['push', 'create', 'delete', 'release'], config: { url: w.publicUrl, content_type: 'json', secret: w.env.NEW_SECRET } }),
  });
  expect(res.status).toBe(201);
  // The reload's pass must not finish the rotation before the push below (it would, at times): the
  // old hook's deletion is refused once, so both hooks are there when Gitea delivers.
  w.gitea.failNext('DELETE', /^\/api\/v1\/repos\/dataforge\/api\/hooks\/\d+$/, 409, 1);
  const r = await d.reloader!.reload('test', true);
  expect(r.ok).toBe(true);
  const deliveries = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  expect(deliveries.map((x) => x.status).sort()).toEqual([200, 202]); // both hooks delivered; the second is a duplicate
  await w.hs.waitForMessages(ROOM, 1, 2000);
  // The next pass (another reload here; the interval is an hour) deletes the old hook.
  expect((await d.reloader!.reload('test', true)).ok).toBe(true);

  await expect.poll(() => REPOS.every((repo) => ours(repo).length === 1 && ours(repo)[0]!.secret === w.env.NEW_SECRET), { timeout: 8000 }).toBe(true);
  await d.settle();
  expect(w.hs.messages(ROOM)).toHaveLength(1);
  // The hooks on Gitea change before the pass that changed them reports its actions: poll the metric.
  const rotations = async () => Number(/^monitor_reconcile_actions_total\{action="rotate"\} (\d+)/m.exec(await (await fetch(d!.url + '/metrics')).text())?.[1] ?? 0);
  await expect.poll(rotations, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
});

it('installs the hook of a repository created after start on the next pass', async () => {
  w = await startWorld();
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace('reconcile: { interval: 1h }', 'reconcile: { interval: 1s }'));
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(() => REPOS.every((r) => ours(r).length === 1), { timeout: 5000 }).toBe(true);
  await w.gitea.addRepo('dataforge/brand-new');
  await expect.poll(() => ours('dataforge/brand-new').length, { timeout: 5000 }).toBe(1);
  await w.gitea.push('dataforge/brand-new', { pusher: 'bob' });
  const [m] = await w.hs.waitForMessages(ROOM, 1, 2000);
  expect(String((m!.content as { body: string }).body)).toMatch(/^\[dataforge\/brand-new\] bob pushed/);
});

it('with scope: org, one org hook covers a repository the moment it is created', async () => {
  w = await startWorld({ repoRules: '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news], scope: org }' });
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(() => w.gitea.orgHooks('dataforge').filter((h) => h.url === w.publicUrl).length, { timeout: 5000 }).toBe(1);
  expect(REPOS.every((r) => ours(r).length === 0)).toBe(true);
  await w.gitea.addRepo('dataforge/later');
  await w.gitea.push('dataforge/later', { pusher: 'carol' });
  await w.gitea.push('dataforge/sandbox-play', { pusher: 'carol' }); // delivered by the org hook, excluded by the rule
  const [m] = await w.hs.waitForMessages(ROOM, 1, 2000);
  expect(String((m!.content as { body: string }).body)).toMatch(/^\[dataforge\/later\] carol pushed/);
  await d.settle();
  expect(w.hs.messages(ROOM)).toHaveLength(1);
});

it('a repository event from a hook that subscribes to it triggers a reconcile pass at once', async () => {
  w = await startWorld(); // reconcile.interval is 1h here: only the event can explain a quick hook
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(() => REPOS.every((r) => ours(r).length === 1), { timeout: 5000 }).toBe(true);
  // An org hook that reports repository events only (an operator's, or another tool's).
  const res = await fetch(`${w.gitea.url}/api/v1/orgs/dataforge/hooks`, {
    method: 'POST',
    headers: { authorization: `token ${SECRETS.GITEA_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'gitea', active: true, events: ['repository'], config: { url: w.publicUrl.replace('/webhook/gitea', '/webhook/gitea?from=org'), content_type: 'json', secret: SECRETS.WEBHOOK_SECRET } }),
  });
  expect(res.status).toBe(201);
  const [event] = await w.gitea.addRepo('dataforge/fresh');
  expect(event).toMatchObject({ event: 'repository', status: 202 });
  await expect.poll(() => ours('dataforge/fresh').length, { timeout: 3000 }).toBe(1);
});
