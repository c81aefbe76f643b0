// Graceful shutdown with real processes: SIGTERM while notices are in flight answers new deliveries
// 503 (Gitea records the failure), finishes what it can within server.drain_timeout, exits 0, and
// the next start sends the rest: every accepted delivery is announced exactly once.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';
import type { Delivery } from '../../src/sandbox/gitea/index.ts';

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
  await new Promise((r) => setTimeout(r, 500));
  const msgs = w.hs.messages(ROOM);
  expect(msgs).toHaveLength(repos.length);
  const firstLines = msgs.map((m) => String((m.content as { body: string }).body).split(']')[0]!.slice(1)).sort();
  expect(firstLines).toEqual([...repos].sort());
}, 40_000);
