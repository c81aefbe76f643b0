// Notices into an encrypted room go out ENCRYPTED (the Rust crypto matrix-js-sdk uses, loaded on
// first need), and a room member — a matrix-js-sdk client with its own crypto — decrypts them
// through the homeserver stand-in; the bot's device keys are kept in the crypto store under the data folder, so after a
// restart the same device with the same identity key encrypts the next notice.
import { afterEach, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { sdkMember, type SdkMember } from '../helpers/sdk-member.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

const SECURE = '#secure:localhost';
const ALICE = { token: 'tok-alice', userId: '@alice:localhost', deviceId: 'ALICEDEV' };
const BOT = '@monitor:localhost';
let w: World;
let d: Daemon | null = null;
let alice: SdkMember | null = null;
afterEach(async () => {
  alice?.stop();
  alice = null;
  await d?.stop();
  d = null;
  await w.close();
});

const encryptedEvents = (roomId: string) => w.hs.timeline(roomId).filter((e) => e.type === 'm.room.encrypted');
async function secureWorld(): Promise<string> {
  w = await startWorld({ window: '1s', repoRules: '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [secure] }' });
  writeFileSync(
    w.configFile,
    readFileSync(w.configFile, 'utf8')
      .replace(`  rooms: { news: "${ROOM}" }`, `  rooms: { news: "${ROOM}", secure: "${SECURE}" }\n  crypto_store: { passphrase: { env: CRYPTO_PASSPHRASE } }`),
  );
  w.env.CRYPTO_PASSPHRASE = 'crypto-pass-51c0ffee';
  w.hs.addUser(ALICE);
  const roomId = w.hs.addRoom({ alias: SECURE, encrypted: true, members: [ALICE.userId] });
  await w.installHooks();
  return roomId;
}

async function botIdentityKey(): Promise<string> {
  const res = await fetch(`${w.hs.url}/_matrix/client/v3/keys/query`, { method: 'POST', headers: { authorization: `Bearer ${ALICE.token}` }, body: JSON.stringify({ device_keys: { [BOT]: [] } }) });
  const devices = (await res.json()).device_keys[BOT] as Record<string, { keys: Record<string, string> }>;
  expect(Object.keys(devices)).toEqual(['MONITOR1']);
  return devices.MONITOR1!.keys['curve25519:MONITOR1']!;
}

it('an encrypted room gets encrypted notices that a member decrypts; the device keys survive a restart', async () => {
  const roomId = await secureWorld();
  alice = await sdkMember(w.hs.url, ALICE); // syncing, its device keys uploaded

  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await expect.poll(() => encryptedEvents(roomId).length, { timeout: 15_000, interval: 100 }).toBe(1);
  expect(w.hs.messages(roomId)).toHaveLength(0); // no plaintext m.room.message
  expect(JSON.stringify(w.hs.timeline(roomId))).not.toContain('pushed 1 commit');
  const [first] = await alice.decrypted(1);
  expect(first!.getSender()).toBe(BOT);
  expect(first!.getContent()).toMatchObject({ msgtype: 'm.notice', body: expect.stringMatching(/^\[dataforge\/api\] alice pushed 1 commit to main/) });
  expect((await (await fetch(d.url + '/webhook/health')).json()).rooms).toContainEqual({ room: 'secure', state: 'joined', detail: roomId });
  const key = await botIdentityKey();
  expect(existsSync(join(w.dir, 'data', 'crypto-store'))).toBe(true);
  expect(readFileSync(join(w.dir, 'data', 'crypto-store')).includes(Buffer.from(w.env.CRYPTO_PASSPHRASE!))).toBe(false);

  // Restart: the same device and identity key encrypt the next notice.
  await d.stop();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await expect.poll(() => encryptedEvents(roomId).length, { timeout: 15_000, interval: 100 }).toBe(2);
  expect(await botIdentityKey()).toBe(key);
  const [, second] = await alice.decrypted(2);
  expect(second!.getContent().body).toMatch(/^\[dataforge\/web\] alice pushed/);
}, 60_000);

it('key upload refused: the room is degraded with the reason and gets nothing', async () => {
  const roomId = await secureWorld();
  w.hs.injectError(1000, 403, 'M_FORBIDDEN', { paths: /\/keys\/upload$/ });
  d = await startWorldDaemon(w);
  const secure = async () => ((await (await fetch(d!.url + '/webhook/health')).json()).rooms as Array<{ room: string; state: string; detail: string }>).find((r) => r.room === 'secure');
  expect(await secure()).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/encryption cannot be set up: 403 M_FORBIDDEN/) });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await expect.poll(async () => Number(/^monitor_send_retries_total (\d+)/m.exec(await (await fetch(d!.url + '/metrics')).text())?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  expect(w.hs.timeline(roomId).filter((e) => e.type === 'm.room.message' || e.type === 'm.room.encrypted')).toEqual([]);
  expect((await d.store.listRuns({})).filter((r) => r.status === 'failed')).toEqual([]);
}, 30_000);
