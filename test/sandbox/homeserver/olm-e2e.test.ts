// The stand-in's key endpoints against the real crypto matrix-js-sdk uses (its Rust OlmMachine,
// @matrix-org/matrix-sdk-crypto-wasm): the bot uploads keys, queries alice's devices, claims a
// one-time key, shares a megolm room key over to-device, and sends an m.room.encrypted event; alice,
// syncing through the stand-in, receives the room key and DECRYPTS the notice.
import * as C from '@matrix-org/matrix-sdk-crypto-wasm';
import { expect, it } from 'vitest';
import { ALICE, BOT, V3, joinAll, start, type Started } from './setup.ts';

const PATHS: Partial<Record<C.RequestType, (r: C.OutgoingRequest) => [string, string]>> = {
  [C.RequestType.KeysUpload]: () => ['POST', `${V3}/keys/upload`],
  [C.RequestType.KeysQuery]: () => ['POST', `${V3}/keys/query`],
  [C.RequestType.KeysClaim]: () => ['POST', `${V3}/keys/claim`],
  [C.RequestType.ToDevice]: (r) => ['PUT', `${V3}/sendToDevice/${encodeURIComponent((r as C.ToDeviceRequest).event_type)}/${encodeURIComponent((r as C.ToDeviceRequest).txn_id)}`],
};

/** Sends what the machine wants sent (keys, to-device), as a client's sync loop does. */
async function send(s: Started, token: string, m: C.OlmMachine, requests?: C.OutgoingRequest[]): Promise<void> {
  for (const r of requests ?? (await m.outgoingRequests())) {
    const route = PATHS[r.type];
    if (!route) throw new Error(`unexpected crypto request type ${r.type}`);
    const [method, path] = route(r);
    const res = await s.call(method, path, { token, rawBody: r.body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    if (r.id) await m.markRequestAsSent(r.id, r.type, JSON.stringify(res.body));
  }
}

async function sync(s: Started, token: string, m: C.OlmMachine, since: string | null): Promise<string> {
  const r = (await s.call('GET', `${V3}/sync?timeout=0${since ? `&since=${since}` : ''}`, { token })).body;
  const lists = new C.DeviceLists(r.device_lists.changed.map((u: string) => new C.UserId(u)), []);
  await m.receiveSyncChanges(JSON.stringify(r.to_device.events), lists, new Map(Object.entries(r.device_one_time_keys_count)), new Set(r.device_unused_fallback_key_types));
  return r.next_batch;
}

it('a megolm notice sent by one OlmMachine is decrypted by another through the stand-in', async () => {
  await C.initAsync();
  const s = await start({ rooms: [{ alias: '#secure:localhost', encrypted: true }] });
  const roomId = await joinAll(s, '#secure:localhost', BOT.token, ALICE.token);
  const bot = await C.OlmMachine.initialize(new C.UserId(BOT.userId), new C.DeviceId(BOT.deviceId));
  const alice = await C.OlmMachine.initialize(new C.UserId(ALICE.userId), new C.DeviceId(ALICE.deviceId));
  await send(s, ALICE.token, alice); // device keys and one-time keys
  let aliceSince = await sync(s, ALICE.token, alice, null);

  await send(s, BOT.token, bot);
  await sync(s, BOT.token, bot, null);
  await bot.updateTrackedUsers([new C.UserId(ALICE.userId)]);
  await send(s, BOT.token, bot); // keys/query
  const claim = await bot.getMissingSessions([new C.UserId(ALICE.userId)]);
  expect(claim).toBeTruthy();
  await send(s, BOT.token, bot, [claim!]);
  const shares = await bot.shareRoomKey(new C.RoomId(roomId), [new C.UserId(ALICE.userId)], new C.EncryptionSettings());
  expect(shares.length).toBeGreaterThan(0);
  await send(s, BOT.token, bot, shares);

  const content = { msgtype: 'm.notice', body: '[dataforge/api] alice pushed 1 commit to main', 'm.mentions': {} };
  const encrypted = JSON.parse(await bot.encryptRoomEvent(new C.RoomId(roomId), 'm.room.message', JSON.stringify(content)));
  const sent = await s.call('PUT', `${V3}/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/enc-1`, { token: BOT.token, body: encrypted });
  expect(sent.status).toBe(200);
  const event = s.hs.timeline(roomId).at(-1)!;
  expect(event).toMatchObject({ type: 'm.room.encrypted', content: { algorithm: 'm.megolm.v1.aes-sha2' } });
  expect(JSON.stringify(event)).not.toContain('alice pushed');

  aliceSince = await sync(s, ALICE.token, alice, aliceSince); // the room key arrives over to-device
  const clear = await alice.decryptRoomEvent(JSON.stringify(event), new C.RoomId(roomId), new C.DecryptionSettings(C.TrustRequirement.Untrusted));
  expect(JSON.parse(clear.event)).toMatchObject({ type: 'm.room.message', content });
  expect(aliceSince).toMatch(/^n\d+$/);
}, 30_000);
