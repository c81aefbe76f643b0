// gitea.token's scopes, checked at start through the daemon against the Gitea stand-in (which
// refuses like Gitea: 403 "token does not have at least one of required scope(s), required=[...],
// token scope=..."): the log and health name exactly the scope that is missing.
import { afterEach, expect, it } from 'vitest';
import { startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';

let w: World;
let d: (Daemon & { logs: { lines: Array<Record<string, unknown>> } }) | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const REPOS = ['dataforge/api', 'dataforge/pipelines', 'dataforge/web'];
const waitLog = (msg: string) => expect.poll(() => d!.logs.lines.find((l) => l.msg === msg), { timeout: 5000 }).toBeDefined();

it('a token without read:organization: the listing problem names the scope and what the token has', async () => {
  w = await startWorld({ tokenScope: 'write:repository' });
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await waitLog('reconcile: listing problem');
  const line = d.logs.lines.find((l) => l.msg === 'reconcile: listing problem')!;
  expect(String(line.problem)).toBe('cannot list the repositories of dataforge: gitea.token lacks the scope read:organization (it has write:repository), which listing the repositories of dataforge needs: give the token that scope');
});

it('a token that can read but not write hooks is reported at start, though every hook is already in place', async () => {
  w = await startWorld({ tokenScope: 'read:organization,read:repository' });
  await w.installHooks(REPOS); // nothing for reconcile to write: only the start check can tell
  const from = w.gitea.apiCalls.length;
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await waitLog('gitea.token cannot manage hooks');
  const line = d.logs.lines.find((l) => l.msg === 'gitea.token cannot manage hooks')!;
  expect(line).toMatchObject({ kind: 'repo', missing_scopes: ['write:repository'] });
  expect(String(line.error)).toMatch(/^gitea\.token lacks the scope write:repository \(it has read:organization,read:repository\), which managing the hooks of dataforge\/\S+ needs/);
  await expect.poll(async () => (await (await fetch(d!.url + '/webhook/health')).json()).repos.map((r: { hook: string }) => r.hook), { timeout: 5000 }).toEqual(['error', 'error', 'error']);
  const h = await (await fetch(d.url + '/webhook/health')).json();
  expect(h.status).toBe('degraded');
  expect(h.repos[0].detail).toMatch(/lacks the scope write:repository/);
  expect(w.gitea.apiCalls.slice(from).filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.status}`)).toEqual(['PATCH 403']);
});

it('a token with the scopes it needs passes the check and changes nothing', async () => {
  w = await startWorld({ tokenScope: 'write:repository,read:organization' });
  await w.installHooks(REPOS);
  const from = w.gitea.apiCalls.length;
  const before = JSON.stringify(REPOS.map((r) => w.gitea.hooks(r)));
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await expect.poll(() => w.gitea.apiCalls.some((c) => c.method === 'PATCH' && /\/hooks\/0$/.test(c.path)), { timeout: 5000 }).toBe(true);
  await d.stop();
  d = null;
  expect(w.gitea.apiCalls.find((c) => c.method === 'PATCH')!.status).toBe(404);
  expect(JSON.stringify(REPOS.map((r) => w.gitea.hooks(r)))).toBe(before);
  expect(w.gitea.apiCalls.slice(from).filter((c) => c.status === 403)).toEqual([]);
});
