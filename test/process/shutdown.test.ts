// Graceful shutdown with real processes: SIGTERM while notices are in flight answers new deliveries
// 503 (Gitea records the failure), finishes what it can within server.drain_timeout, exits 0, and
// the next start sends the rest: every accepted delivery is announced exactly once.
import { createServer, type IncomingMessage } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';
import type { Delivery } from '../../src/sandbox/gitea/index.ts';
import { recordsSettled } from '../helpers/records.ts';
import { join } from 'node:path';

let w: World;
let s: ServeProcess | null = null;
afterEach(async () => {
  s?.child.kill('SIGKILL');
  await s?.exited;
  await w.close();
});

it('SIGTERM with deliveries in flight loses none', async () => {
  const repos = Array.from({ length: 8 }, (_, i) => `dataforge/svc-${i}`);
  w = await startWorld({ repos });
  await w.installHooks();
  s = await startServe(w);
  w.hs.setLatency(1000); // 8 sends need 8 s; drain_timeout is 5 s
  const accepted: Delivery[] = [];
  for (const r of repos) accepted.push(...(await w.gitea.push(r, { pusher: 'alice' })));
  expect(accepted.every((d) => d.status === 202)).toBe(true);
  s.child.kill('SIGTERM');
  await s.waitForLog((l) => l.msg === 'draining');
  const late = await fetch(s.url + '/webhook/gitea', { method: 'POST', body: accepted[0]!.body, headers: accepted[0]!.requestHeaders }).catch(() => null);
  expect(late?.status).toBe(503); // still listening while draining: refused, not lost
  expect((await s.exited).code).toBe(0);
  const sentBefore = w.hs.messages(ROOM).length;
  expect(sentBefore).toBeGreaterThan(0);
  expect(sentBefore).toBeLessThan(repos.length); // the drain bound cut it short: the rest waits, stored

  w.hs.setLatency(0);
  s = await startServe(w);
  await w.hs.waitForMessages(ROOM, repos.length, 10_000);
  await recordsSettled(join(w.dir, 'data', 'monitor.db')); // nothing left to send: no duplicate can come
  const msgs = w.hs.messages(ROOM);
  expect(msgs).toHaveLength(repos.length);
  const firstLines = msgs.map((m) => String((m.content as { body: string }).body).split(']')[0]!.slice(1)).sort();
  expect(firstLines).toEqual([...repos].sort());
}, 40_000);

it('SIGTERM while Gitea hangs: the reconcile pass is aborted and the process exits within drain_timeout', async () => {
  w = await startWorld();
  // A Gitea that accepts connections and never answers (gitea.timeout 10 s, 3 retries: ~40 s a call).
  const held: IncomingMessage[] = [];
  let asked: () => void = () => {};
  const firstCall = new Promise<void>((r) => (asked = r));
  const hanging = createServer((req) => (held.push(req), asked()));
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  const port = (hanging.address() as { port: number }).port;
  try {
    writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace(w.gitea.url, `http://127.0.0.1:${port}`));
    s = await startServe(w);
    await firstCall; // the start-up reconcile pass is waiting on Gitea
    const t0 = Date.now();
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000 + 3000); // drain_timeout is 5 s
    expect(s.lines.some((l) => l.msg === 'stopped')).toBe(true);
  } finally {
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(r));
  }
}, 90_000);
