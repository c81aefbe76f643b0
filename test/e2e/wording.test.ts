// Wording through the daemon: a force-push that moves a branch back, and an annotated tag (whose
// push carries the tag object as `after` and the tagged commit as head_commit).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { memoryLogger } from '../../src/log.ts';

let w: World;
let d: Daemon & { logs: ReturnType<typeof memoryLogger> };
beforeEach(async () => {
  w = await startWorld({ window: '1ms', tagGrace: '0s' });
  await w.installHooks();
  d = await startWorldDaemon(w);
});
afterEach(async () => {
  await d.stop();
  await w.close();
});
const body = (m: { content: unknown }) => String((m.content as { body: string }).body);
const html = (m: { content: unknown }) => String((m.content as { formatted_body: string }).formatted_body);

it('a force-push back to an older commit says "force-pushed main to <sha>", not "pushed 0 commits"', async () => {
  const base = w.gitea.branchHeads('dataforge/api').main!;
  await w.gitea.push('dataforge/api', { pusher: 'alice', commits: 2 });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  const [fp] = await w.gitea.forcePush('dataforge/api', 'main', base, { pusher: 'bob' });
  expect(JSON.parse(fp!.body)).toMatchObject({ total_commits: 0, commits: [], after: base });
  const msgs = await w.hs.waitForMessages(ROOM, 2, 3000);
  const last = msgs[1]!;
  expect(body(last).split('\n')[0]).toBe(`[dataforge/api] bob force-pushed main to ${base.slice(0, 7)}`);
  expect(body(last)).not.toMatch(/0 commits/);
  expect(html(last)).toContain(`force-pushed <a href=`);
  expect(html(last)).toContain(`<code>${base.slice(0, 7)}</code>`);
  await d.settle();
  const runs = await d.store.listRuns({});
  expect(runs[0]!.summary).toBe(`bob force-pushed main to ${base.slice(0, 7)}`);
});

it('an annotated tag shows the commit it points at, not the tag object', async () => {
  const commit = w.gitea.branchHeads('dataforge/web').main!;
  const [push] = await w.gitea.pushTag('dataforge/web', 'v2.0.0', { pusher: 'alice' });
  const payload = JSON.parse(push!.body) as { after: string; head_commit: { id: string } };
  expect(payload.after).not.toBe(commit); // the tag object
  expect(payload.head_commit.id).toBe(commit);
  const [msg] = await w.hs.waitForMessages(ROOM, 1, 2000);
  expect(body(msg!)).toContain(`tagged v2.0.0 at ${commit.slice(0, 7)}`);
  expect(body(msg!)).not.toContain(payload.after.slice(0, 7));
  await d.settle();
  expect((await d.store.listRuns({})).find((r) => r.event === 'push')!.after).toBe(commit);
});
