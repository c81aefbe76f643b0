// A full matrix-js-sdk client (startClient, its own Rust crypto) as a room member on the stand-in:
// it syncs, uploads its keys, receives a megolm room key over to-device and DECRYPTS an
// m.room.encrypted event another device (an OlmMachine, as the daemon uses) sent.
import * as C from '@matrix-org/matrix-sdk-crypto-wasm';
import { expect, it } from 'vitest';
import { sdkMember } from '../../helpers/sdk-member.ts';
import { ALICE, BOT, V3, joinAll, start } from './setup.ts';

it('a matrix-js-sdk client decrypts a notice encrypted for it through the stand-in', async () => {
  await C.initAsync();
  const s = await start({ rooms: [{ alias: '#secure:localhost', encrypted: true }] });
  const roomId = await joinAll(s, '#secure:localhost', BOT.token, ALICE.token);
  const alice = await sdkMember(s.url, ALICE); // synced, its device keys on the server

  // The bot's side, as the daemon's crypto does it.
  const bot = await C.OlmMachine.initialize(new C.UserId(BOT.userId), new C.DeviceId(BOT.deviceId));
  const route: Record<number, (r: any) => [string, string]> = {
    [C.RequestType.KeysUpload]: () => ['POST', `${V3}/keys/upload`],
    [C.RequestType.KeysQuery]: () => ['POST', `${V3}/keys/query`],
    [C.RequestType.KeysClaim]: () => ['POST', `${V3}/keys/claim`],
    [C.RequestType.ToDevice]: (r) => ['PUT', `${V3}/sendToDevice/${encodeURIComponent(r.event_type)}/${encodeURIComponent(r.txn_id)}`],
  };
  const send = async (list: any[]) => {
    for (const r of list) {
      const [method, path] = route[r.type]!(r);
      const res = await s.call(method, path, { token: BOT.token, rawBody: r.body });
      if (r.id) await bot.markRequestAsSent(r.id, r.type, JSON.stringify(res.body));
    }
  };
  await send(await bot.outgoingRequests());
  const users = () => [new C.UserId(ALICE.userId), new C.UserId(BOT.userId)];
  await bot.updateTrackedUsers(users());
  await send(await bot.outgoingRequests());
  const claim = await bot.getMissingSessions(users());
  if (claim) await send([claim]);
  await send(await bot.shareRoomKey(new C.RoomId(roomId), users(), new C.EncryptionSettings()));
  const content = { msgtype: 'm.notice', body: '[dataforge/api] alice pushed 1 commit to main', 'm.mentions': {} };
  const encrypted = JSON.parse(await bot.encryptRoomEvent(new C.RoomId(roomId), 'm.room.message', JSON.stringify(content)));

  expect((await s.call('PUT', `${V3}/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/enc-1`, { token: BOT.token, body: encrypted })).status).toBe(200);
  const [ev] = await alice.decrypted(1);
  expect(ev!.getContent()).toMatchObject(content);
  expect(ev!.getSender()).toBe(BOT.userId);
  alice.stop();
}, 30_000);
