// GET /rooms/{roomId}/state/{eventType}/{stateKey}: the current state content, 404 without one,
// 403 for a non-member; the empty state key may be given as a trailing slash or left off.
import { expect, it } from 'vitest';
import { ALICE, BOT, V3, joinAll, start } from './setup.ts';

it('serves m.room.encryption of an encrypted room and 404 for a plain one', async () => {
  const s = await start({ rooms: [{ alias: '#secure:localhost', encrypted: true }, { alias: '#plain:localhost' }] });
  const secure = encodeURIComponent(await joinAll(s, '#secure:localhost', BOT.token));
  const plain = encodeURIComponent(await joinAll(s, '#plain:localhost', BOT.token));
  for (const path of [`${V3}/rooms/${secure}/state/m.room.encryption/`, `${V3}/rooms/${secure}/state/m.room.encryption`]) {
    expect((await s.call('GET', path, { token: BOT.token })).body).toEqual({ algorithm: 'm.megolm.v1.aes-sha2' });
  }
  const none = await s.call('GET', `${V3}/rooms/${plain}/state/m.room.encryption/`, { token: BOT.token });
  expect(none).toMatchObject({ status: 404, body: { errcode: 'M_NOT_FOUND' } });
  expect((await s.call('GET', `${V3}/rooms/${secure}/state/m.room.encryption/`, { token: ALICE.token })).status).toBe(403);
  s.hs.setState('#plain:localhost', 'm.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' });
  expect((await s.call('GET', `${V3}/rooms/${plain}/state/m.room.encryption/`, { token: BOT.token })).status).toBe(200);
});
