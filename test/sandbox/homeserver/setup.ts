// Shared fixture for the homeserver stand-in tests: a sandbox on an ephemeral loopback port and a
// raw-fetch helper that returns status, headers and parsed JSON.
import { afterEach } from 'vitest';
import { createHomeserverSandbox } from '../../../src/sandbox/homeserver/index.ts';
import type { HomeserverOptions, HomeserverSandbox } from '../../../src/sandbox/homeserver/index.ts';

export const BOT = { token: 'tok-bot-dev1', userId: '@bot:localhost', deviceId: 'DEV1' };
export const BOT_OTHER_DEVICE = { token: 'tok-bot-dev2', userId: '@bot:localhost', deviceId: 'DEV2' };
export const ALICE = { token: 'tok-alice', userId: '@alice:localhost', deviceId: 'ALICEDEV' };
export const NEWS = '#fn-registry-news:localhost';
export const V3 = '/_matrix/client/v3';

export interface Started {
  hs: HomeserverSandbox;
  url: string;
  call(method: string, path: string, init?: { token?: string; body?: unknown; rawBody?: string }): Promise<Answer>;
  send(roomId: string, txnId: string, content: unknown, token?: string): Promise<Answer>;
}

export interface Answer {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: any;
}

const open: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

/** Default world: the bot (two devices) and alice exist, the news room is public and empty. */
export async function start(opts: HomeserverOptions = {}): Promise<Started> {
  const hs = createHomeserverSandbox({ users: [BOT, BOT_OTHER_DEVICE, ALICE], rooms: [{ alias: NEWS }], ...opts });
  const server = await hs.listen(0, '127.0.0.1');
  open.push(server.close);

  async function call(method: string, path: string, init: { token?: string; body?: unknown; rawBody?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  const send = (roomId: string, txnId: string, content: unknown, token = BOT.token) =>
    call('PUT', `${V3}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`, { token, body: content });

  return { hs, url: server.url, call, send };
}

/** Joins each token's user to the room through the API, as a client would. */
export async function joinAll(s: Started, roomIdOrAlias: string, ...tokens: string[]): Promise<string> {
  let roomId = '';
  for (const token of tokens) {
    const res = await s.call('POST', `${V3}/join/${encodeURIComponent(roomIdOrAlias)}`, { token, body: {} });
    if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
    roomId = res.body.room_id;
  }
  return roomId;
}
