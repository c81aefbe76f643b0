// Catch-up after downtime, with real processes: pushes made while the daemon was stopped (Gitea
// tried once, failed, and never retries) are announced on the next start, once.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';

let w: World;
let s: ServeProcess | null = null;
afterEach(async () => {
  s?.child.kill('SIGTERM');
  await s?.exited;
  await w.close();
});
const bodies = () => w.hs.messages(ROOM).map((m) => String((m.content as { body: string }).body));

it('announces a push made while the daemon was stopped, once, on start', async () => {
  w = await startWorld({ window: '1s' });
  await w.installHooks();
  s = await startServe(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  const before = w.gitea.branchHeads('dataforge/api').main!;
  s.child.kill('SIGTERM');
  await s.exited;
  s = null;

  const missed = await w.gitea.push('dataforge/api', { pusher: 'bob', commits: 2 });
  expect(missed[0]!.status).toBeNull(); // nobody listening: Gitea records the failure and moves on
  const after = w.gitea.branchHeads('dataforge/api').main!;

  s = await startServe(w);
  await s.waitForLog((l) => l.msg === 'catch-up done', 10_000);
  const [, caught] = await w.hs.waitForMessages(ROOM, 2, 5000);
  const body = String((caught!.content as { body: string }).body);
  expect(body).toContain('offline');
  expect(body).toContain(`/compare/${before}...${after}`);
  s.child.kill('SIGTERM');
  await s.exited;

  // Another restart finds nothing new: the same range is never announced twice.
  s = await startServe(w);
  await s.waitForLog((l) => l.msg === 'catch-up done', 10_000);
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 3, 3000);
  expect(bodies().filter((b) => b.includes('offline'))).toHaveLength(1);
});
