// Contract: the stand-in's wire format, checked with raw fetch: auth and directory error bodies,
// joining, /messages paging and echo visibility, unknown endpoints (FACTS A2 and the stand-in table).
import { describe, expect, it } from 'vitest';
import { ALICE, BOT, BOT_OTHER_DEVICE, NEWS, V3, joinAll, start } from './setup.ts';

const NEWS_PATH = encodeURIComponent(NEWS);

describe('authentication', () => {
  it('answers a missing token with 401 M_MISSING_TOKEN', async () => {
    const s = await start();
    const res = await s.call('GET', `${V3}/account/whoami`);
    expect(res.status).toBe(401);
    expect(res.contentType).toBe('application/json');
    expect(res.body).toEqual({ errcode: 'M_MISSING_TOKEN', error: 'Missing access token' });
  });

  it('answers an unknown token with 401 M_UNKNOWN_TOKEN and soft_logout false', async () => {
    const s = await start();
    const res = await s.call('GET', `${V3}/account/whoami`, { token: 'nope' });
    expect(res.status).toBe(401);
    expect(res.contentType).toBe('application/json');
    expect(res.body).toEqual({ errcode: 'M_UNKNOWN_TOKEN', error: 'Unrecognised access token.', soft_logout: false });
  });

  it('does not accept the token as a query parameter (removed from the spec)', async () => {
    const s = await start();
    const res = await s.call('GET', `${V3}/account/whoami?access_token=${BOT.token}`);
    expect(res.status).toBe(401);
    expect(res.body.errcode).toBe('M_MISSING_TOKEN');
  });

  it('answers whoami with the user and device of the token', async () => {
    const s = await start();
    const res = await s.call('GET', `${V3}/account/whoami`, { token: BOT_OTHER_DEVICE.token });
    expect(res.body).toEqual({ user_id: BOT.userId, device_id: 'DEV2', is_guest: false });
  });
});

describe('directory and joining', () => {
  it('resolves an alias and 404s an unknown one with the standard body', async () => {
    const s = await start();
    const ok = await s.call('GET', `${V3}/directory/room/${NEWS_PATH}`);
    expect(ok.status).toBe(200);
    expect(ok.body.room_id).toMatch(/^!/);
    expect(ok.body.servers).toEqual(['localhost']);

    const missing = await s.call('GET', `${V3}/directory/room/${encodeURIComponent('#nope:localhost')}`);
    expect(missing.status).toBe(404);
    expect(missing.contentType).toBe('application/json');
    expect(missing.body).toEqual({ errcode: 'M_NOT_FOUND', error: 'Room alias #nope:localhost not found.' });

    const invalid = await s.call('GET', `${V3}/directory/room/not-an-alias`);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ errcode: 'M_INVALID_PARAM', error: 'Room alias invalid' });
  });

  it('joins idempotently, by alias or by ID, and lists joined rooms', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const byId = await s.call('POST', `${V3}/rooms/${encodeURIComponent(roomId)}/join`, { token: BOT.token, rawBody: '' });
    expect(byId.body).toEqual({ room_id: roomId });
    expect(s.hs.timeline(NEWS).filter((e) => e.type === 'm.room.member')).toHaveLength(1);
    const joined = await s.call('GET', `${V3}/joined_rooms`, { token: BOT.token });
    expect(joined.body).toEqual({ joined_rooms: [roomId] });
  });

  it('refuses an invite-only room without an invite, and 404s an unknown alias', async () => {
    const s = await start();
    const secret = s.hs.addRoom({ alias: '#secret:localhost', inviteOnly: true });
    const refused = await s.call('POST', `${V3}/join/${encodeURIComponent(secret)}`, { token: BOT.token, body: {} });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ errcode: 'M_FORBIDDEN', error: 'You are not invited to this room.' });

    s.hs.invite(BOT.userId, '#secret:localhost');
    expect(await joinAll(s, '#secret:localhost', BOT.token)).toBe(secret);

    const unknown = await s.call('POST', `${V3}/join/${encodeURIComponent('#gone:localhost')}`, { token: BOT.token, body: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errcode).toBe('M_NOT_FOUND');
  });
});

describe('reading back', () => {
  it('shows unsigned.transaction_id only to the sending user and device', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token, BOT_OTHER_DEVICE.token, ALICE.token);
    const sent = await s.send(roomId, 'txn-echo', { body: 'hello' });
    const seenBy = async (token: string) => {
      const res = await s.call('GET', `${V3}/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=1`, { token });
      expect(res.body.chunk[0].event_id).toBe(sent.body.event_id);
      return res.body.chunk[0].unsigned;
    };
    expect((await seenBy(BOT.token)).transaction_id).toBe('txn-echo');
    expect(await seenBy(BOT_OTHER_DEVICE.token)).not.toHaveProperty('transaction_id');
    expect(await seenBy(ALICE.token)).not.toHaveProperty('transaction_id');
    expect(typeof (await seenBy(ALICE.token)).age).toBe('number');
  });

  it('pages /messages newest first for dir=b and omits end when exhausted', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    for (const n of [1, 2, 3, 4, 5]) await s.send(roomId, `t${n}`, { body: `m${n}` });
    const base = `${V3}/rooms/${encodeURIComponent(roomId)}/messages`;
    const label = (chunk: Array<{ type: string; content: { body?: string } }>) =>
      chunk.map((e) => (e.type === 'm.room.member' ? 'join' : e.content.body));

    const p1 = await s.call('GET', `${base}?dir=b&limit=2`, { token: BOT.token });
    expect(label(p1.body.chunk)).toEqual(['m5', 'm4']);
    expect(p1.body.end).toBeTypeOf('string');
    const p2 = await s.call('GET', `${base}?dir=b&limit=2&from=${p1.body.end}`, { token: BOT.token });
    expect(label(p2.body.chunk)).toEqual(['m3', 'm2']);
    expect(p2.body.start).toBe(p1.body.end);
    const p3 = await s.call('GET', `${base}?dir=b&limit=2&from=${p2.body.end}`, { token: BOT.token });
    expect(label(p3.body.chunk)).toEqual(['m1', 'join']);
    expect(p3.body).not.toHaveProperty('end');

    const f = await s.call('GET', `${base}?dir=f&limit=4`, { token: BOT.token });
    expect(label(f.body.chunk)).toEqual(['join', 'm1', 'm2', 'm3']);
    const f2 = await s.call('GET', `${base}?dir=f&limit=4&from=${f.body.end}`, { token: BOT.token });
    expect(label(f2.body.chunk)).toEqual(['m4', 'm5']);
    expect(f2.body).not.toHaveProperty('end');
  });

  it('rejects a bad dir or token, a non-member reader and an unknown event', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const base = `${V3}/rooms/${encodeURIComponent(roomId)}`;
    expect((await s.call('GET', `${base}/messages`, { token: BOT.token })).body.errcode).toBe('M_INVALID_PARAM');
    expect((await s.call('GET', `${base}/messages?dir=b&from=zzz`, { token: BOT.token })).status).toBe(400);
    const outsider = await s.call('GET', `${base}/messages?dir=b`, { token: ALICE.token });
    expect(outsider.status).toBe(403);
    expect(outsider.body.errcode).toBe('M_FORBIDDEN');
    const missing = await s.call('GET', `${base}/event/${encodeURIComponent('$nope')}`, { token: BOT.token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errcode: 'M_NOT_FOUND', error: 'Event not found.' });
  });
});

describe('unknown endpoints', () => {
  it('answers 404 M_UNRECOGNIZED for unknown paths and 405 for a wrong method', async () => {
    const s = await start();
    const unknown = await s.call('GET', `${V3}/notifications`, { token: BOT.token });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toBe('application/json');
    expect(unknown.body).toEqual({ errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
    const wrongMethod = await s.call('DELETE', `${V3}/account/whoami`, { token: BOT.token });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.errcode).toBe('M_UNRECOGNIZED');
  });

  it('serves /versions without auth', async () => {
    const s = await start();
    const res = await s.call('GET', '/_matrix/client/versions');
    expect(res.status).toBe(200);
    expect(res.body.versions).toContain('v1.12');
  });
});
