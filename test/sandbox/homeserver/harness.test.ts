// The harness side of the stand-in: seeding, timelines, waiting, and fault injection over real HTTP.
import { describe, expect, it } from 'vitest';
import { createHomeserverSandbox } from '../../../src/sandbox/homeserver/index.ts';
import { ALICE, BOT, NEWS, V3, joinAll, start } from './setup.ts';

describe('seeding and reading', () => {
  it('seeds members with join events and stamps events with the injected clock', async () => {
    let clock = 1_800_000_000_000;
    const s = await start({ now: () => clock, rooms: [{ alias: NEWS, members: [BOT.userId] }] });
    const roomId = s.hs.timeline(NEWS)[0]?.room_id ?? '';
    expect(s.hs.timeline(NEWS)).toMatchObject([{ type: 'm.room.member', state_key: BOT.userId, content: { membership: 'join' } }]);
    await s.send(roomId, 't1', { body: 'x' });
    clock += 2048;
    const [msg] = s.hs.messages(NEWS);
    expect(msg).toMatchObject({ origin_server_ts: 1_800_000_000_000, unsigned: { age: 2048, transaction_id: 't1' } });
  });

  it('follows an alias that is re-pointed to another room', async () => {
    const s = await start();
    const first = await joinAll(s, NEWS, BOT.token);
    const second = s.hs.addRoom({ roomId: '!second' });
    s.hs.setAlias(NEWS, second);
    const res = await s.call('GET', `${V3}/directory/room/${encodeURIComponent(NEWS)}`);
    expect(res.body.room_id).toBe('!second');
    expect(second).not.toBe(first);
    // A domain-less room ID (room version 12) is a valid target.
    expect(await joinAll(s, NEWS, BOT.token)).toBe('!second');
  });

  it('records a kick as a leave event and lets the user rejoin a public room', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    s.hs.kick(BOT.userId, roomId);
    expect(s.hs.timeline(roomId).at(-1)).toMatchObject({ type: 'm.room.member', state_key: BOT.userId, content: { membership: 'leave' } });
    expect(await joinAll(s, NEWS, BOT.token)).toBe(roomId);
  });

  it('notifies listeners until they unsubscribe', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const seen: string[] = [];
    const off = s.hs.onEvent((id, ev) => seen.push(`${id === roomId} ${ev.type}`));
    await s.send(roomId, 'a', { body: 'a' });
    off();
    await s.send(roomId, 'b', { body: 'b' });
    expect(seen).toEqual(['true m.room.message']);
  });

  it('refuses the url before listen and unknown rooms in harness calls', () => {
    const hs = createHomeserverSandbox();
    expect(() => hs.url).toThrow(/listen/);
    expect(() => hs.messages('#none:localhost')).toThrow(/#none:localhost/);
  });
});

describe('waitForMessages', () => {
  it('resolves when the count is reached by later sends', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const waiting = s.hs.waitForMessages(NEWS, 2, 5000);
    await s.send(roomId, 'a', { body: 'a' });
    await s.send(roomId, 'b', { body: 'b' });
    expect((await waiting).map((e) => e.content.body)).toEqual(['a', 'b']);
  });

  it('rejects with the room and counts on timeout', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    await s.send(roomId, 'a', { body: 'a' });
    await expect(s.hs.waitForMessages(NEWS, 3, 30)).rejects.toThrow(`${NEWS} has 1 of 3 expected m.room.message events after 30 ms`);
  });
});

describe('fault injection', () => {
  it('applies faults in order, only to sends by default, and logs every request', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    s.hs.inject429(1, { retryAfterMs: null, retryAfterHeaderSeconds: 1 });
    s.hs.injectError(1, 502);
    expect((await s.call('GET', `${V3}/account/whoami`, { token: BOT.token })).status).toBe(200);
    const limited = await s.send(roomId, 't', { body: 'x' });
    expect(limited.body).toEqual({ errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests' });
    const bad = await s.send(roomId, 't', { body: 'x' });
    expect(bad.status).toBe(502);
    expect(bad.body.errcode).toBe('M_UNKNOWN');
    expect((await s.send(roomId, 't', { body: 'x' })).status).toBe(200);
    expect(s.hs.messages(roomId)).toHaveLength(1);
    expect(s.hs.requests.filter((r) => r.txnId === 't').map((r) => r.status)).toEqual([429, 502, 200]);
  });

  it('can target every path', async () => {
    const s = await start();
    s.hs.inject429(1, { paths: 'all' });
    expect((await s.call('GET', `${V3}/account/whoami`, { token: BOT.token })).status).toBe(429);
    expect((await s.call('GET', `${V3}/account/whoami`, { token: BOT.token })).status).toBe(200);
  });

  it('answers a replayed txnId from the cache before the rate limiter, as Synapse does', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    const first = await s.send(roomId, 'done', { body: 'x' });
    s.hs.inject429(1);
    expect((await s.send(roomId, 'done', { body: 'x' })).body).toEqual(first.body);
    expect((await s.send(roomId, 'new', { body: 'y' })).status).toBe(429);
  });

  it('can lose the response after the event is committed; the retry returns the same event_id', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    s.hs.injectError(1, 504, 'M_UNKNOWN', { afterExecute: true });
    const lost = await s.send(roomId, 'commit', { body: 'x' });
    expect(lost.status).toBe(504);
    const [stored] = s.hs.messages(roomId);
    const retry = await s.send(roomId, 'commit', { body: 'x' });
    expect(retry.body).toEqual({ event_id: stored?.event_id });
    expect(s.hs.messages(roomId)).toHaveLength(1);
  });

  it('answers 503 to everything while down', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token);
    s.hs.setDown(true);
    const down = await s.send(roomId, 'd', { body: 'x' });
    expect(down.status).toBe(503);
    expect(down.contentType).toBe('application/json');
    expect((await s.call('GET', '/_matrix/client/versions')).status).toBe(503);
    s.hs.setDown(false);
    expect((await s.send(roomId, 'd', { body: 'x' })).status).toBe(200);
  });

  it('delays sends and runs concurrent duplicates of one txnId once', async () => {
    const s = await start();
    const roomId = await joinAll(s, NEWS, BOT.token, ALICE.token);
    s.hs.setLatency(60);
    const t0 = performance.now();
    const [a, b] = await Promise.all([s.send(roomId, 'dup', { body: 'x' }), s.send(roomId, 'dup', { body: 'x' })]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(a.body).toEqual(b.body);
    expect(s.hs.messages(roomId)).toHaveLength(1);
    // Latency applies to sends only by default: with a 10 s latency, whoami still answers at once
    // (a bound far from both, so a busy machine cannot fail it).
    s.hs.setLatency(10_000);
    const t1 = performance.now();
    await s.call('GET', `${V3}/account/whoami`, { token: BOT.token });
    expect(performance.now() - t1).toBeLessThan(5_000);
    s.hs.setLatency(0);
  });
});
