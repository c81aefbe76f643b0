// Never plaintext into an encrypted room: a room with m.room.encryption gets no notice (held, the
// room `degraded` in health with the reason) while the daemon cannot encrypt, also when the room
// turns encrypted after start; `allow_unencrypted: true` on the room's entry lets plaintext through.
import { afterEach, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

const SECURE = '#secure:localhost';
let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});

type Health = { status: string; rooms: Array<{ room: string; state: string; detail: string | null }> };
const health = async () => (await (await fetch(d!.url + '/webhook/health')).json()) as Health;
const room = async (name: string) => (await health()).rooms.find((r) => r.room === name);
const retries = async () => Number(/^monitor_send_retries_total (\d+)/m.exec(await (await fetch(d!.url + '/metrics')).text())?.[1] ?? 0);

async function world(secureEntry: string) {
  w = await startWorld({ window: '1s', repoRules: '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news, secure] }' });
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace(`  rooms: { news: "${ROOM}" }`, `  rooms:\n    news: "${ROOM}"\n    secure: ${secureEntry}`));
  const secureId = w.hs.addRoom({ alias: SECURE, encrypted: true });
  await w.installHooks();
  return secureId;
}

it('an encrypted room gets nothing in plaintext: held, degraded in health; a room encrypted later too', async () => {
  const secureId = await world(`"${SECURE}"`);
  d = await startWorldDaemon(w);
  expect(await health()).toMatchObject({ status: 'degraded' });
  expect((await room('secure'))).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/end-to-end encrypted.*nothing is sent to it in plaintext.*allow_unencrypted/) });

  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 5000);
  // The secure room's notice is retried (held), never sent, never failed.
  await expect.poll(retries, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(2);
  expect(w.hs.requests.filter((r) => r.method === 'PUT' && r.path.includes(encodeURIComponent(secureId)))).toEqual([]);
  expect((await d.store.listRuns({})).filter((r) => r.status === 'failed')).toEqual([]);

  // The news room turns encrypted while the daemon runs: its next notice is held as well.
  w.hs.setState(ROOM, 'm.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' });
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await expect.poll(async () => (await room('news'))?.state, { timeout: 5000 }).toBe('degraded');
  expect(w.hs.messages(ROOM)).toHaveLength(1);
  expect(w.hs.messages(secureId)).toHaveLength(0);
}, 30_000);

it('allow_unencrypted: true sends plaintext into that encrypted room', async () => {
  const secureId = await world(`{ alias: "${SECURE}", allow_unencrypted: true }`);
  d = await startWorldDaemon(w);
  expect(await room('secure')).toMatchObject({ state: 'joined', detail: secureId });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  const [msg] = await w.hs.waitForMessages(secureId, 1, 5000);
  expect(msg!.type).toBe('m.room.message');
  expect(await health()).toMatchObject({ status: 'ok' });
}, 30_000);
