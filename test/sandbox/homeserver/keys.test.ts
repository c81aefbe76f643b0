// The stand-in's key endpoints over raw HTTP, per the spec's end-to-end encryption module:
// upload -> counts; query -> device keys; claim uses up a one-time key, then the fallback key;
// sendToDevice (txn-idempotent) lands in the device's /sync to_device until a later sync moves on;
// device_lists.changed names a room peer whose keys changed.
import { expect, it } from 'vitest';
import { ALICE, BOT, V3, joinAll, start } from './setup.ts';

const deviceKeys = (u: { userId: string; deviceId: string }) => ({
  user_id: u.userId, device_id: u.deviceId, algorithms: ['m.olm.v1.curve25519-aes-sha2', 'm.megolm.v1.aes-sha2'],
  keys: { [`curve25519:${u.deviceId}`]: 'c'.repeat(43), [`ed25519:${u.deviceId}`]: 'e'.repeat(43) }, signatures: {},
});

it('upload, query, claim (one-time, then fallback) and the sync key fields', async () => {
  const s = await start();
  await joinAll(s, '#fn-registry-news:localhost', BOT.token, ALICE.token);
  const since = (await s.call('GET', `${V3}/sync?timeout=0`, { token: BOT.token })).body.next_batch;

  const up = await s.call('POST', `${V3}/keys/upload`, {
    token: ALICE.token,
    body: { device_keys: deviceKeys(ALICE), one_time_keys: { 'signed_curve25519:AAAAAQ': { key: 'k1', signatures: {} } }, fallback_keys: { 'signed_curve25519:AAAAFB': { key: 'fb', fallback: true, signatures: {} } } },
  });
  expect(up.body).toEqual({ one_time_key_counts: { signed_curve25519: 1 } });
  expect((await s.call('POST', `${V3}/keys/upload`, { token: BOT.token, body: { device_keys: deviceKeys(ALICE) } })).status).toBe(400);

  const q = await s.call('POST', `${V3}/keys/query`, { token: BOT.token, body: { device_keys: { [ALICE.userId]: [] } } });
  expect(q.body).toEqual({ device_keys: { [ALICE.userId]: { [ALICE.deviceId]: deviceKeys(ALICE) } }, failures: {} });

  const claim = () => s.call('POST', `${V3}/keys/claim`, { token: BOT.token, body: { one_time_keys: { [ALICE.userId]: { [ALICE.deviceId]: 'signed_curve25519' } } } });
  expect((await claim()).body.one_time_keys).toEqual({ [ALICE.userId]: { [ALICE.deviceId]: { 'signed_curve25519:AAAAAQ': { key: 'k1', signatures: {} } } } });
  expect((await claim()).body.one_time_keys[ALICE.userId][ALICE.deviceId]).toHaveProperty('signed_curve25519:AAAAFB');

  // The bot hears that a room peer's devices changed.
  const bot = await s.call('GET', `${V3}/sync?since=${since}&timeout=0`, { token: BOT.token });
  expect(bot.body.device_lists).toEqual({ changed: [ALICE.userId], left: [] });
  const alice = await s.call('GET', `${V3}/sync?timeout=0`, { token: ALICE.token });
  expect(alice.body).toMatchObject({ device_one_time_keys_count: {}, device_unused_fallback_key_types: [] });

  // To-device: delivered to alice's device, once per txnId, kept until alice syncs past it.
  const payload = { algorithm: 'm.olm.v1.curve25519-aes-sha2', ciphertext: {} };
  const msg = { messages: { [ALICE.userId]: { [ALICE.deviceId]: payload } } };
  for (let i = 0; i < 2; i++) expect((await s.call('PUT', `${V3}/sendToDevice/m.room.encrypted/t1`, { token: BOT.token, body: msg })).status).toBe(200);
  const first = await s.call('GET', `${V3}/sync?since=${alice.body.next_batch}&timeout=0`, { token: ALICE.token });
  expect(first.body.to_device.events).toEqual([{ type: 'm.room.encrypted', sender: BOT.userId, content: payload }]);
  const repeat = await s.call('GET', `${V3}/sync?since=${alice.body.next_batch}&timeout=0`, { token: ALICE.token });
  expect(repeat.body.to_device.events).toHaveLength(1); // not acknowledged yet: sent again
  const next = await s.call('GET', `${V3}/sync?since=${first.body.next_batch}&timeout=0`, { token: ALICE.token });
  expect(next.body.to_device.events).toEqual([]);
});

it('a long-poll wakes for a to-device message', async () => {
  const s = await start();
  const since = (await s.call('GET', `${V3}/sync?timeout=0`, { token: ALICE.token })).body.next_batch;
  const waiting = s.call('GET', `${V3}/sync?since=${since}&timeout=20000`, { token: ALICE.token });
  await s.call('PUT', `${V3}/sendToDevice/m.dummy/t2`, { token: BOT.token, body: { messages: { [ALICE.userId]: { '*': {} } } } });
  expect((await waiting).body.to_device.events).toEqual([{ type: 'm.dummy', sender: BOT.userId, content: {} }]);
});
