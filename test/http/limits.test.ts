// The receiver's resource limits over real sockets: the body and header deadlines fire at their
// setting with a JSON 408, the in-flight body budget answers 503 + Retry-After and is given back,
// the connection cap closes extra connections, and a signed delivery still goes through afterwards.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createHmac } from 'node:crypto';
import { SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
let port: number;
beforeAll(async () => {
  w = await startWorld();
  await w.installHooks();
  const config = await w.load();
  const server = { ...config.server, bodyTimeoutMs: 600, headersTimeoutMs: 600, inflightBodyLimit: 1024 * 1024, maxConnections: 8 };
  d = await startWorldDaemon(w, { config: { ...config, server } });
  port = Number(new URL(d.url).port);
});
afterAll(async () => {
  await d?.stop();
  await w?.close();
});

/** A raw connection: what it receives, and when it was closed. */
function open(): Promise<{ s: Socket; text: () => string; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let text = '';
    s.on('data', (c) => (text += c));
    const closed = new Promise<number>((r) => s.on('close', () => r(Date.now())));
    s.on('error', () => {});
    s.once('connect', () => resolve({ s, text: () => text, closed }));
    s.once('error', reject);
  });
}
const head = (len: number, extra = '') =>
  `POST /webhook/gitea HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\nx-gitea-event: push\r\nx-gitea-signature: ${'a'.repeat(64)}\r\ncontent-length: ${len}\r\n${extra}\r\n`;
/** The JSON body of a raw answer (plain or chunked: the object is one chunk). */
const jsonOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1));

it('a body that trickles is cut at server.body_timeout with a JSON 408', async () => {
  const c = await open();
  const t0 = Date.now();
  c.s.write(head(1000) + '{"ref":');
  const at = await c.closed;
  expect(at - t0).toBeGreaterThanOrEqual(550);
  expect(at - t0).toBeLessThan(3000); // Node's own check ran every 30 s: 30-45 s before
  expect(c.text()).toMatch(/^HTTP\/1\.1 408 /);
  expect(jsonOf(c.text())).toEqual({ error: 'timeout', detail: expect.stringContaining('server.body_timeout') });
});

it('headers that never end are cut at server.headers_timeout with a JSON 408', async () => {
  const c = await open();
  const t0 = Date.now();
  c.s.write(`POST /webhook/gitea HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-slow: `);
  const at = await c.closed;
  expect(at - t0).toBeGreaterThanOrEqual(550);
  expect(at - t0).toBeLessThan(3000);
  expect(c.text()).toMatch(/^HTTP\/1\.1 408 /);
  expect(jsonOf(c.text())).toMatchObject({ error: 'timeout' });
});

it('past server.inflight_body_limit a delivery gets 503 with Retry-After, and the budget is given back', async () => {
  const a = await open();
  a.s.write(head(800 * 1024) + 'x'.repeat(700 * 1024)); // holds 700 KiB of the 1 MiB budget, never finishes
  await new Promise((r) => setTimeout(r, 150)); // the server has read them (no event to await on a raw socket)
  const b = await open();
  b.s.write(head(700 * 1024) + 'x'.repeat(700 * 1024));
  await b.closed;
  expect(b.text()).toMatch(/^HTTP\/1\.1 503 /);
  expect(b.text()).toMatch(/\r\nretry-after: \d+\r\n/i);
  expect(jsonOf(b.text())).toEqual({ error: 'busy', detail: expect.stringContaining('server.inflight_body_limit') });
  await a.closed; // cut by the body timeout: its lease is given back
  const [delivery] = await w.gitea.push('dataforge/api', { pusher: 'alice', commits: [{ message: 'x'.repeat(800 * 1024), author: { name: 'A', email: 'a@x' } }] });
  expect(delivery!.status).toBe(202);
});

it('connections beyond server.max_connections are closed at once; the others are served', async () => {
  const held = await Promise.all(Array.from({ length: 8 }, () => open()));
  await new Promise((r) => setTimeout(r, 100));
  const extra = await open();
  const t0 = Date.now();
  expect((await extra.closed) - t0).toBeLessThan(500);
  expect(extra.text()).toBe('');
  held.forEach((c) => c.s.destroy());
  await Promise.all(held.map((c) => c.closed));
  const body = JSON.stringify({ zen: 'hi' });
  const res = await fetch(d.url + '/webhook/gitea', { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-gitea-event': 'ping', 'x-gitea-signature': createHmac('sha256', SECRETS.WEBHOOK_SECRET).update(body).digest('hex') } });
  expect(res.status).toBe(202);
});
