// A configured room that does not let the bot in yet (invite-only, no invite): its notices are held
// and retried, not failed; health says whom to invite; once someone invites the bot, the daemon
// finds the invite (a /sync filtered to invites), joins, and sends the held notices in order.
import { afterEach, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

const OPS = '#ops:localhost';
const ALICE = { token: 'tok-alice', userId: '@alice:localhost', deviceId: 'ALICEDEV' };
let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});

const health = async () => (await fetch(d!.url + '/webhook/health')).json() as Promise<{ status: string; rooms: Array<{ room: string; state: string; detail: string | null }> }>;
const retries = async () => Number(/^monitor_send_retries_total (\d+)/m.exec(await (await fetch(d!.url + '/metrics')).text())?.[1] ?? 0);

it('notices for a room that refuses the join are held, and sent once the bot is invited', async () => {
  w = await startWorld({ window: '1s', repoRules: '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [ops] }' });
  writeFileSync(
    w.configFile,
    readFileSync(w.configFile, 'utf8')
      .replace('  rooms: { news: "#fn-registry-news:localhost" }', `  rooms: { news: "#fn-registry-news:localhost", ops: "${OPS}" }\n  invite_poll: 200ms`),
  );
  w.hs.addUser(ALICE);
  const opsId = w.hs.addRoom({ alias: OPS, inviteOnly: true, members: [ALICE.userId] });
  await w.installHooks();
  d = await startWorldDaemon(w);

  expect(await health()).toMatchObject({ status: 'degraded', rooms: expect.arrayContaining([{ room: 'ops', state: 'not_joined', detail: 'invite @monitor:localhost' }]) });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  // Before: one re-join and the notice was failed (~1.5 s). Now it keeps being retried.
  await expect.poll(retries, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(3);
  expect((await d.store.listRuns({})).filter((r) => r.status === 'failed')).toEqual([]);
  expect(w.hs.messages(OPS)).toHaveLength(0);

  const invited = await fetch(`${w.hs.url}/_matrix/client/v3/rooms/${encodeURIComponent(opsId)}/invite`, {
    method: 'POST', headers: { authorization: `Bearer ${ALICE.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: '@monitor:localhost' }),
  });
  expect(invited.status).toBe(200);
  const sent = await w.hs.waitForMessages(OPS, 2, 5000);
  expect(sent.map((m) => String(m.content.body).split(']')[0])).toEqual(['[dataforge/api', '[dataforge/web']);
  expect(w.hs.requests.some((r) => r.method === 'GET' && r.path === '/_matrix/client/v3/sync' && r.status === 200)).toBe(true);
  await d.settle();
  expect((await d.store.listRuns({})).map((r) => r.status)).toEqual(['announced', 'announced']);
  expect(await health()).toMatchObject({ status: 'ok', rooms: expect.arrayContaining([{ room: 'ops', state: 'joined', detail: opsId }]) });
}, 30_000);
