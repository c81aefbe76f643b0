// Contract: matrix-js-sdk, used exactly as the daemon uses it (bare MatrixClient, no scheduler, no
// sync), runs end to end against the stand-in over real HTTP.
import { Direction, EventType, MatrixClient, MatrixError, MsgType } from 'matrix-js-sdk';
import type { ICreateClientOpts } from 'matrix-js-sdk';
import type { RoomMessageEventContent } from 'matrix-js-sdk/lib/types.js';
import { describe, expect, it } from 'vitest';
import { BOT, NEWS, start } from './setup.ts';
import type { Started } from './setup.ts';

type SdkLogger = NonNullable<ICreateClientOpts['logger']>;
const noop = (): void => {};
// The SDK logs every request at debug level; tests keep stdout for failures.
const quiet: SdkLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, getChild: () => quiet };

function client(s: Started, user = BOT): MatrixClient {
  return new MatrixClient({ baseUrl: s.url, accessToken: user.token, userId: user.userId, deviceId: user.deviceId, logger: quiet });
}

const notice = (body: string): RoomMessageEventContent => ({ msgtype: MsgType.Notice, body, 'm.mentions': {} });

async function rejection(p: Promise<unknown>): Promise<MatrixError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  // Only a JSON error with Content-Type application/json becomes a MatrixError with an errcode.
  expect(err).toBeInstanceOf(MatrixError);
  return err as MatrixError;
}

describe('homeserver stand-in with matrix-js-sdk', () => {
  it('runs whoami, alias lookup, join and an idempotent send', async () => {
    const s = await start();
    const c = client(s);

    expect(await c.whoami()).toMatchObject({ user_id: BOT.userId, device_id: BOT.deviceId });
    const { room_id: roomId } = await c.getRoomIdForAlias(NEWS);
    expect(roomId.startsWith('!')).toBe(true);
    expect((await c.joinRoom(NEWS)).roomId).toBe(roomId);

    const first = await c.sendEvent(roomId, EventType.RoomMessage, notice('v1.2.0 released'), 'batch-abc123');
    const again = await c.sendEvent(roomId, EventType.RoomMessage, notice('v1.2.0 released'), 'batch-abc123');
    expect(again.event_id).toBe(first.event_id);
    expect(s.hs.messages(NEWS).map((e) => e.event_id)).toEqual([first.event_id]);

    const page = await c.createMessagesRequest(roomId, null, 10, Direction.Backward);
    expect(page.chunk[0]).toMatchObject({ event_id: first.event_id, unsigned: { transaction_id: 'batch-abc123' } });
  });

  it('surfaces 429 as M_LIMIT_EXCEEDED, Retry-After header before retry_after_ms', async () => {
    const s = await start();
    const c = client(s);
    const { roomId } = await c.joinRoom(NEWS);

    s.hs.inject429(1, { retryAfterMs: 1500, retryAfterHeaderSeconds: 2 });
    const both = await rejection(c.sendEvent(roomId, EventType.RoomMessage, notice('a'), 'txn-429-a'));
    expect(both.errcode).toBe('M_LIMIT_EXCEEDED');
    expect(both.httpStatus).toBe(429);
    expect(both.isRateLimitError()).toBe(true);
    expect(both.getRetryAfterMs()).toBe(2000);

    s.hs.inject429(1, { retryAfterMs: 1500 });
    const bodyOnly = await rejection(c.sendEvent(roomId, EventType.RoomMessage, notice('a'), 'txn-429-a'));
    expect(bodyOnly.data.retry_after_ms).toBe(1500);
    expect(bodyOnly.getRetryAfterMs()).toBe(1500);

    // Neither 429 was remembered: the same txnId now really sends.
    await c.sendEvent(roomId, EventType.RoomMessage, notice('a'), 'txn-429-a');
    expect(s.hs.messages(roomId)).toHaveLength(1);
  });

  it('surfaces a send after a kick as 403 M_FORBIDDEN', async () => {
    const s = await start();
    const c = client(s);
    const { roomId } = await c.joinRoom(NEWS);
    s.hs.kick(BOT.userId, roomId);

    const err = await rejection(c.sendEvent(roomId, EventType.RoomMessage, notice('after kick'), 'txn-kicked'));
    expect(err.errcode).toBe('M_FORBIDDEN');
    expect(err.httpStatus).toBe(403);
    expect(err.data.error).toBe(`User ${BOT.userId} not in room ${roomId}`);
  });

  it('surfaces token and alias errors as MatrixErrors with errcodes', async () => {
    const s = await start();
    const badToken = await rejection(client(s, { ...BOT, token: 'stolen' }).whoami());
    expect(badToken.errcode).toBe('M_UNKNOWN_TOKEN');
    expect(badToken.data.soft_logout).toBe(false);

    const unknownAlias = await rejection(client(s).getRoomIdForAlias('#nope:localhost'));
    expect(unknownAlias.errcode).toBe('M_NOT_FOUND');
    expect(unknownAlias.httpStatus).toBe(404);
  });
});
