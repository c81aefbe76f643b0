// Contract: sending over raw HTTP: content kept as sent, txnId idempotency scoped to
// (user, device, raw path) with only successes remembered, the 65536-byte event limit (FACTS A1-A3).
import { describe, expect, it } from 'vitest';
import { ALICE, BOT, BOT_OTHER_DEVICE, NEWS, V3, joinAll, start } from './setup.ts';

describe('sending', () => {
  it('keeps content, m.mentions included, exactly as sent', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const content = {
      msgtype: 'm.notice',
      body: '@room v2.0.0 by @alice:localhost',
      format: 'org.matrix.custom.html',
      formatted_body: '<b>@room</b> v2.0.0',
      'm.mentions': {},
    };
    const sent = await s.send(roomId, 'txn-mentions', content);
    expect(sent.status).toBe(200);
    const one = await s.call('GET', `${V3}/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(sent.body.event_id)}`, { token: BOT.token });
    expect(one.body.content).toEqual(content);
    expect(s.hs.messages(roomId)[0]?.content).toEqual(content);

    const withUsers = { msgtype: 'm.notice', body: 'hi alice', 'm.mentions': { user_ids: [ALICE.userId] } };
    await s.send(roomId, 'txn-mentions-2', withUsers);
    expect(s.hs.messages(roomId)[1]?.content['m.mentions']).toEqual({ user_ids: [ALICE.userId] });
  });

  it('returns the first event_id for a repeated txnId and stores one event', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const a = await s.send(roomId, 'txn-1', { msgtype: 'm.notice', body: 'first' });
    const b = await s.send(roomId, 'txn-1', { msgtype: 'm.notice', body: 'changed content is dropped' });
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(s.hs.messages(roomId).map((e) => e.content.body)).toEqual(['first']);
  });

  it('scopes a txnId to the device and to the path (room)', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token, BOT_OTHER_DEVICE.token);
    const other = s.hs.addRoom({ alias: '#other:localhost', members: [BOT.userId] });
    const a = await s.send(roomId, 'same', { body: 'dev1' });
    const b = await s.send(roomId, 'same', { body: 'dev2' }, BOT_OTHER_DEVICE.token);
    const c = await s.send(other, 'same', { body: 'other room' });
    expect(new Set([a.body.event_id, b.body.event_id, c.body.event_id]).size).toBe(3);
  });

  it('does not remember a 429: the retry with the same txnId executes', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    s.hs.inject429(1, { retryAfterMs: 1200, retryAfterHeaderSeconds: 2 });
    const limited = await s.send(roomId, 'txn-rl', { body: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.contentType).toBe('application/json');
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body).toEqual({ errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: 1200 });
    expect(s.hs.messages(roomId)).toHaveLength(0);

    const retry = await s.send(roomId, 'txn-rl', { body: 'x' });
    expect(retry.status).toBe(200);
    expect(s.hs.messages(roomId).map((e) => e.event_id)).toEqual([retry.body.event_id]);
  });

  it('answers a send into a room the user left with 403, and does not remember it', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    s.hs.kick(BOT.userId, NEWS);
    const refused = await s.send(roomId, 'txn-k', { body: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.contentType).toBe('application/json');
    expect(refused.body).toEqual({ errcode: 'M_FORBIDDEN', error: `User ${BOT.userId} not in room ${roomId}` });

    await joinAll(s, NEWS, BOT.token);
    expect((await s.send(roomId, 'txn-k', { body: 'x' })).status).toBe(200);
  });

  it('rejects an event over 65536 bytes with 413 M_TOO_LARGE and accepts one with headroom', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const big = await s.send(roomId, 'txn-big', { msgtype: 'm.notice', body: 'x'.repeat(65_536) });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ errcode: 'M_TOO_LARGE', error: 'event too large' });
    // Just under the limit in body bytes is still too large once the event envelope is counted.
    const edge = await s.send(roomId, 'txn-edge', { body: 'x'.repeat(65_536 - 20) });
    expect(edge.status).toBe(413);
    const fits = await s.send(roomId, 'txn-fits', { msgtype: 'm.notice', body: 'x'.repeat(65_536 - 4096) });
    expect(fits.status).toBe(200);
  });

  it('answers bad JSON with 400 M_NOT_JSON and a non-object with M_BAD_JSON', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const path = `${V3}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t1`;
    const notJson = await s.call('PUT', path, { token: BOT.token, rawBody: '{"body":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ errcode: 'M_NOT_JSON', error: 'Content not JSON.' });
    const array = await s.call('PUT', path, { token: BOT.token, body: ['x'] });
    expect(array.status).toBe(400);
    expect(array.body.errcode).toBe('M_BAD_JSON');
  });

  it('decodes path segments exactly once', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    // "%2541" on the wire is the txnId "%41", not "A".
    await s.call('PUT', `${V3}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/x%2541`, { token: BOT.token, body: { body: 'x' } });
    expect(s.hs.messages(roomId)[0]?.unsigned?.transaction_id).toBe('x%41');
    expect(s.hs.requests.at(-1)).toMatchObject({ method: 'PUT', status: 200, txnId: 'x%41' });
  });
});
