// Nothing lost, nothing doubled, with real processes: the daemon is SIGKILLed right after it has
// acknowledged 50 deliveries across 10 repos (some sends in flight), then started again: each of
// the 50 is announced exactly once, directly or in a digest.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, type World } from '../helpers/world.ts';
import { startServe } from '../helpers/serve.ts';
import type { Delivery } from '../../src/sandbox/gitea/index.ts';

let w: World | null = null;
afterEach(async () => {
  await w?.close();
});

/** Pushes each message accounts for: 1 for a notice, N for a digest of N pushes. */
function pushesIn(body: string): number {
  const m = /^\[[^\]]+\] (\d+) pushes/.exec(body);
  return m ? Number(m[1]) : 1;
}

it('SIGKILL after 50 acknowledged deliveries, then restart: each is announced exactly once', async () => {
  const repos = Array.from({ length: 10 }, (_, i) => `dataforge/repo-${i}`);
  w = await startWorld({ repos, window: '2s' });
  await w.installHooks();
  w.hs.setLatency(150); // keep sends in flight when the process dies
  const first = await startServe(w);
  const deliveries: Delivery[] = [];
  for (let round = 0; round < 5; round++) {
    const batch = await Promise.all(repos.map((r) => w!.gitea.push(r, { pusher: round % 2 ? 'bob' : 'alice' })));
    deliveries.push(...batch.flat());
  }
  expect(deliveries).toHaveLength(50);
  expect(deliveries.every((d) => d.status === 202)).toBe(true);
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  const beforeRestart = w.hs.messages(ROOM).length;
  expect(beforeRestart).toBeLessThan(50); // the crash really interrupted work

  w.hs.setLatency(0);
  const second = await startServe(w);
  try {
    // Every repo: its first push as a notice, the other four in one digest (or more notices).
    await expect.poll(() => w!.hs.messages(ROOM).reduce((n, m) => n + pushesIn(String((m.content as { body: string }).body)), 0), { timeout: 15_000, interval: 200 }).toBe(50);
    const msgs = w.hs.messages(ROOM);
    const txnIds = msgs.map((m) => (m.unsigned as { transaction_id?: string } | undefined)?.transaction_id);
    expect(new Set(txnIds).size).toBe(msgs.length);
    for (const repo of repos) {
      const forRepo = msgs.filter((m) => String((m.content as { body: string }).body).startsWith(`[${repo}]`));
      expect(forRepo.reduce((n, m) => n + pushesIn(String((m.content as { body: string }).body)), 0), repo).toBe(5);
    }
  } finally {
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }
});
