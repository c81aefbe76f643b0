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

// Everything else that can happen while the daemon is stopped: a branch created, a tag pushed, a
// release published (with its new tag: one notice), a branch deleted, and the bot's own push (loop
// protection still applies: the commits are fetched). A restart after that announces nothing again.
const stop = async () => {
  s!.child.kill('SIGTERM');
  await s!.exited;
  s = null;
};

it('catches up branches created and deleted, tags, releases and skips the bot\'s own push; never twice', { timeout: 90_000 }, async () => { // three daemon starts
  w = await startWorld({ window: '1ms', tagGrace: '0s' });
  await w.installHooks();
  s = await startServe(w);
  await w.gitea.createBranch('dataforge/api', 'old', { commits: 1, pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 5000);
  // The repository's first delivery records its baseline (branches, tags, releases).
  await s.waitForLog((l) => l.msg === 'catch-up done' && l.catch_up === 'first delivery', 10_000);
  await stop();

  await w.gitea.createBranch('dataforge/api', 'feature/x', { commits: 2, pusher: 'bob' });
  await w.gitea.pushTag('dataforge/api', 'v1.0.0', { pusher: 'bob' });
  await w.gitea.publishRelease('dataforge/api', 'v2.0.0', { name: 'Two', pusher: 'alice' });
  await w.gitea.deleteBranch('dataforge/api', 'old', { pusher: 'alice' });
  await w.gitea.push('dataforge/api', { pusher: 'registry-bot', commits: [{ message: 'Bump', author: { name: 'Bot', email: 'registry-bot@example.com', username: 'registry-bot' } }] });
  const tagCommit = w.gitea.branchHeads('dataforge/api').main!;

  s = await startServe(w);
  await s.waitForLog((l) => l.msg === 'catch-up done' && l.catch_up === 'start' && l.stored === 5, 10_000);
  await w.hs.waitForMessages(ROOM, 5, 10_000);
  const caught = bodies().slice(1).join('\n');
  expect(caught).toContain('while the monitor was offline, feature/x appeared at');
  expect(caught).toContain('(head by bob)');
  expect(caught).toMatch(/while the monitor was offline, tag v1\.0\.0 was pushed at [0-9a-f]{7}/);
  expect(caught).toContain('while the monitor was offline, alice released Two (v2.0.0)');
  expect(caught).not.toContain('tag v2.0.0');
  expect(caught).toContain('while the monitor was offline, branch old was deleted');
  expect(caught).not.toContain('registry-bot');
  expect(bodies()).toHaveLength(5);
  expect(tagCommit).toBeTruthy();
  await stop();

  // A restart finds nothing new, and a live push after it is announced as usual.
  s = await startServe(w);
  await s.waitForLog((l) => l.msg === 'catch-up done' && l.catch_up === 'start', 10_000);
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 6, 5000);
  expect(bodies().filter((b) => b.includes('offline'))).toHaveLength(4);
});
