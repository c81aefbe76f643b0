// The Matrix adapter runs on matrix-js-sdk's HTTP layer alone: that exact deep path is not a
// semver-public entry, so the SDK stays pinned to one major and this test imports the path as the
// adapter does. The full client (sync, scheduler, crypto) must not be loaded for whoami/join/send.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MatrixError, MatrixHttpApi, ClientPrefix, Method } from 'matrix-js-sdk/lib/http-api/index.js';
import { createMatrixPort, SendError } from '../../../src/adapters/matrix/client.ts';
import { Secret } from '../../../src/secret.ts';
import { BOT, NEWS, start } from '../../sandbox/homeserver/setup.ts';

const root = new URL('../../../', import.meta.url);

describe('matrix-js-sdk HTTP layer', () => {
  it('is the deep path the adapter imports, from the major package.json pins', () => {
    expect(typeof MatrixHttpApi).toBe('function');
    expect(typeof MatrixError.prototype.getRetryAfterMs).toBe('function');
    expect(ClientPrefix.V3).toBe('/_matrix/client/v3');
    expect(Method.Put).toBe('PUT');
    const range = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).dependencies['matrix-js-sdk'] as string;
    expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
    const installed = createRequire(new URL('package.json', root))('matrix-js-sdk/package.json').version as string;
    expect(installed.split('.')[0]).toBe(range.slice(1).split('.')[0]);
  });

  it('importing the adapter never loads the full MatrixClient', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.push(r.url); return r; } });
      await import(${JSON.stringify(new URL('src/adapters/matrix/client.ts', root).href)});
      console.log(JSON.stringify(seen.filter((u) => u.includes('/matrix-js-sdk/'))));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const loaded = JSON.parse(r.stdout) as string[];
    expect(loaded.some((u) => u.endsWith('/lib/http-api/index.js'))).toBe(true);
    expect(loaded.filter((u) => /\/lib\/(client|matrix|sync|scheduler)\.js$/.test(u) || u.includes('/lib/rust-crypto/'))).toEqual([]);
  });
});

describe('the crypto is loaded only when a room needs it', () => {
  it('importing the daemon loads neither the Rust crypto (wasm) nor IndexedDB', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); seen.push(r.url); return r; } });
      await import(${JSON.stringify(new URL('src/runtime/daemon.ts', root).href)});
      console.log(JSON.stringify(seen.filter((u) => ['matrix-sdk-crypto-wasm', 'fake-indexeddb', 'adapters/matrix/crypto'].some((x) => u.includes(x)))));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('createMatrixPort against the homeserver stand-in', () => {
  it('whoami, join by alias and an idempotent send', async () => {
    const s = await start();
    const port = createMatrixPort({ homeserver: s.url + '/', accessToken: new Secret(BOT.token) });
    expect(await port.whoami()).toEqual({ userId: BOT.userId, deviceId: BOT.deviceId });
    const roomId = await port.joinRoom(NEWS);
    expect(roomId).toMatch(/^!/);
    const content = { msgtype: 'm.notice', body: 'v1 released', 'm.mentions': {} };
    const a = await port.send(roomId, content, 'txn-a');
    const b = await port.send(roomId, content, 'txn-a');
    expect(b.eventId).toBe(a.eventId);
    expect(s.hs.messages(NEWS)).toHaveLength(1);
    expect(s.hs.requests.every((r) => !r.path.includes('access_token'))).toBe(true);
  });

  it('a 429 becomes a rate_limited SendError with the Retry-After header before retry_after_ms', async () => {
    const s = await start();
    const port = createMatrixPort({ homeserver: s.url, accessToken: new Secret(BOT.token) });
    const roomId = await port.joinRoom(NEWS);
    s.hs.inject429(1, { retryAfterMs: 1500, retryAfterHeaderSeconds: 2 });
    const err = await port.send(roomId, { body: 'x' }, 't').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).failure).toMatchObject({ kind: 'rate_limited', status: 429, errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 2000 });
  });

  it('a refused join, a bad token and a dead homeserver map to forbidden, unauthorized and network', async () => {
    const s = await start({ rooms: [{ alias: NEWS, inviteOnly: true }] });
    const port = createMatrixPort({ homeserver: s.url, accessToken: new Secret(BOT.token) });
    const kind = (p: Promise<unknown>) => p.then(() => 'ok', (e: SendError) => e.failure.kind);
    expect(await kind(port.joinRoom(NEWS))).toBe('forbidden');
    expect(await kind(createMatrixPort({ homeserver: s.url, accessToken: new Secret('nope') }).whoami())).toBe('unauthorized');
    expect(await kind(createMatrixPort({ homeserver: 'http://127.0.0.1:9', accessToken: new Secret(BOT.token) }).whoami())).toBe('network');
  });
});
