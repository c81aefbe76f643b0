// /webhook/health through the daemon tells the truth: degraded, with the reason per repo, when
// the token cannot list the org, when a hook never delivers, when deliveries fail verification;
// hook state lives in the shared state storage, so a restart still knows what was verified.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ADMIN_TOKEN, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const REPOS = ['dataforge/api', 'dataforge/pipelines', 'dataforge/web'];
interface Health { status: string; repos: Array<{ repo: string; hook: string; detail: string }> }
const health = async (): Promise<Health> => (await fetch(d!.url + '/webhook/health')).json() as Promise<Health>;
const hookStates = async () => (await health()).repos.map((r) => `${r.repo} ${r.hook}`);
const edit = (from: string, to: string) => writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace(from, to));
const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${w.gitea.url}/api/v1${path}`, { method, headers: { authorization: `token ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

it('a token that cannot list the organisation: degraded, the rule named with the missing scope', async () => {
  w = await startWorld({ tokenScope: 'write:repository' });
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(async () => (await health()).status, { timeout: 5000 }).toBe('degraded');
  expect((await health()).repos).toEqual([
    { repo: 'dataforge/*', hook: 'error', detail: 'cannot list the repositories of dataforge: gitea.token lacks the scope read:organization (it has write:repository), which listing the repositories of dataforge needs: give the token that scope' },
  ]);
});

it('hooks that never deliver turn error after reconcile.verify_within', async () => {
  w = await startWorld();
  // Gitea is told a URL nothing listens on: the hooks are created, their test deliveries fail.
  edit(`public_url: ${w.publicUrl}`, 'public_url: http://127.0.0.1:9/webhook/gitea');
  edit('reconcile: { interval: 1h }', 'reconcile: { interval: 1h, verify_within: 1s }');
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(async () => (await health()).status, { timeout: 8000 }).toBe('degraded');
  const h = await health();
  expect(h.repos.map((r) => r.hook)).toEqual(['error', 'error', 'error']);
  expect(h.repos[0]!.detail).toMatch(/but no signed delivery verified within reconcile\.verify_within \(1s\); reconcile asked Gitea for a test delivery/);
  await w.gitea.idle();
  expect(w.gitea.deliveries.filter((x) => x.event === 'push').map((x) => x.status)).toEqual([null, null, null]); // one test delivery each, none answered
});

it('deliveries failing verification degrade the repo until one verifies; a restart keeps what was recorded', async () => {
  w = await startWorld();
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(hookStates, { timeout: 5000 }).toEqual(REPOS.map((r) => `${r} ready`)); // test deliveries
  expect((await health()).status).toBe('ok');

  // Someone re-creates the api hook by hand with another secret: Gitea signs with it, we answer 401.
  const ours = w.gitea.hooks('dataforge/api').find((x) => x.url === w.publicUrl)!;
  expect((await admin('DELETE', `/repos/dataforge/api/hooks/${ours.id}`)).status).toBe(204);
  const hook = { type: 'gitea', active: true, events: ['push'], config: { url: w.publicUrl, content_type: 'json', secret: 'not-the-secret' } };
  expect((await admin('POST', '/repos/dataforge/api/hooks', hook)).status).toBe(201);
  const [refused] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  expect(refused!.status).toBe(401);
  await expect.poll(hookStates, { timeout: 5000 }).toEqual(['dataforge/api error', 'dataforge/pipelines ready', 'dataforge/web ready']);
  const h = await health();
  expect(h.status).toBe('degraded');
  expect(h.repos[0]!.detail).toMatch(/^deliveries naming this repository fail signature verification/);

  // A restart (same state folder) still knows: web and pipelines ready, api failing.
  await d.stop();
  const again = await startWorldDaemon(w, { hooks: superviseHooks });
  d = again;
  expect(await hookStates()).toEqual(['dataforge/api error', 'dataforge/pipelines ready', 'dataforge/web ready']);
  // Its start pass (which adopts the hand-made hook) must not race the edits below.
  await expect.poll(() => again.logs.lines.some((l) => l.msg === 'reconcile pass'), { timeout: 5000 }).toBe(true);
  expect(await hookStates()).toEqual(['dataforge/api error', 'dataforge/pipelines ready', 'dataforge/web ready']);

  // The hook gets the right secret back: the next verified delivery clears it.
  const wrong = w.gitea.hooks('dataforge/api').find((x) => x.secret === 'not-the-secret')!;
  expect((await admin('DELETE', `/repos/dataforge/api/hooks/${wrong.id}`)).status).toBe(204);
  expect((await admin('POST', '/repos/dataforge/api/hooks', { ...hook, config: { ...hook.config, secret: SECRETS.WEBHOOK_SECRET } })).status).toBe(201);
  const deliveries = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  expect(deliveries.map((x) => x.status)).toContain(202);
  await expect.poll(hookStates, { timeout: 5000 }).toEqual(REPOS.map((r) => `${r} ready`));
});
