// Invites as the spec has them: POST /rooms/{id}/invite by a member, the invitee's /sync lists the
// room under rooms.invite with invite_state (stripped state incl. its own m.room.member invite),
// incrementally by `since`, long-polling when nothing is new; the invitee can then join.
import { describe, expect, it } from 'vitest';
import { ALICE, BOT, V3, start } from './setup.ts';

const OPS = '#ops:localhost';
const FILTER = encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 0 }, state: { types: [] } }, presence: { types: [] } }));

describe('invites', () => {
  it('a member invites, the invitee sees it in /sync and joins', async () => {
    const s = await start({ rooms: [{ alias: OPS, inviteOnly: true, members: [ALICE.userId] }] });
    const roomId = s.hs.timeline(OPS)[0]!.room_id;
    expect((await s.call('POST', `${V3}/join/${encodeURIComponent(OPS)}`, { token: BOT.token, body: {} })).status).toBe(403);

    const first = await s.call('GET', `${V3}/sync?filter=${FILTER}&timeout=0`, { token: BOT.token });
    expect(first.status).toBe(200);
    expect(first.body.rooms.invite).toEqual({});

    const inv = await s.call('POST', `${V3}/rooms/${encodeURIComponent(roomId)}/invite`, { token: ALICE.token, body: { user_id: BOT.userId } });
    expect(inv).toMatchObject({ status: 200, body: {} });
    expect(s.hs.timeline(OPS).at(-1)).toMatchObject({ type: 'm.room.member', sender: ALICE.userId, state_key: BOT.userId, content: { membership: 'invite' } });

    const next = await s.call('GET', `${V3}/sync?filter=${FILTER}&since=${first.body.next_batch}&timeout=0`, { token: BOT.token });
    expect(next.body.rooms.invite[roomId].invite_state.events).toContainEqual({ type: 'm.room.member', state_key: BOT.userId, sender: ALICE.userId, content: { membership: 'invite' } });
    // Incremental: the same invite is not listed again after its position.
    const again = await s.call('GET', `${V3}/sync?filter=${FILTER}&since=${next.body.next_batch}&timeout=0`, { token: BOT.token });
    expect(again.body.rooms.invite).toEqual({});
    // Without `since` (an initial sync) a pending invite is listed.
    expect(Object.keys((await s.call('GET', `${V3}/sync?timeout=0`, { token: BOT.token })).body.rooms.invite)).toEqual([roomId]);

    expect((await s.call('POST', `${V3}/join/${encodeURIComponent(OPS)}`, { token: BOT.token, body: {} })).body).toEqual({ room_id: roomId });
    expect((await s.call('GET', `${V3}/sync?timeout=0`, { token: BOT.token })).body.rooms.invite).toEqual({});
  });

  it('a long-poll answers as soon as the invite arrives', async () => {
    const s = await start({ rooms: [{ alias: OPS, inviteOnly: true, members: [ALICE.userId] }] });
    const since = (await s.call('GET', `${V3}/sync?timeout=0`, { token: BOT.token })).body.next_batch;
    const t0 = performance.now();
    const waiting = s.call('GET', `${V3}/sync?since=${since}&timeout=20000`, { token: BOT.token });
    const roomId = s.hs.timeline(OPS)[0]!.room_id;
    await s.call('POST', `${V3}/rooms/${encodeURIComponent(roomId)}/invite`, { token: ALICE.token, body: { user_id: BOT.userId } });
    expect(Object.keys((await waiting).body.rooms.invite)).toEqual([roomId]);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('refuses invites from non-members, of members, without user_id, and bad sync parameters', async () => {
    const s = await start({ rooms: [{ alias: OPS, inviteOnly: true, members: [ALICE.userId] }] });
    const roomId = encodeURIComponent(s.hs.timeline(OPS)[0]!.room_id);
    expect((await s.call('POST', `${V3}/rooms/${roomId}/invite`, { token: BOT.token, body: { user_id: BOT.userId } })).body.errcode).toBe('M_FORBIDDEN');
    expect((await s.call('POST', `${V3}/rooms/${roomId}/invite`, { token: ALICE.token, body: { user_id: ALICE.userId } })).status).toBe(403);
    expect((await s.call('POST', `${V3}/rooms/${roomId}/invite`, { token: ALICE.token, body: {} })).status).toBe(400);
    expect((await s.call('GET', `${V3}/sync?since=bogus`, { token: BOT.token })).body.errcode).toBe('M_INVALID_PARAM');
    expect((await s.call('GET', `${V3}/sync?filter=42`, { token: BOT.token })).status).toBe(400);
    expect((await s.call('GET', `${V3}/sync`)).status).toBe(401);
  });
});
