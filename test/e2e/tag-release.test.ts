// A release created in Gitea's UI with a new tag: Gitea sends push (tag), create and release within a
// second. The room gets ONE notice (the release), not "tagged" now and "released" a window later.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
afterEach(async () => {
  await d.stop();
  await w.close();
});
const body = (m: { content: unknown }) => String((m.content as { body: string }).body);

it('a tag push and its release within the grace period become one release notice', async () => {
  w = await startWorld({ tagGrace: '3s' }); // rate limit: 1 notice per 60 s window
  await w.installHooks();
  d = await startWorldDaemon(w);
  const t0 = Date.now();
  const [tagPush, create, release] = await w.gitea.publishRelease('dataforge/api', 'v1.4.0', { name: 'Version 1.4.0', pusher: 'alice' });
  expect([tagPush!.event, create!.event, release!.event]).toEqual(['push', 'create', 'release']);
  const [msg] = await w.hs.waitForMessages(ROOM, 1, 2500);
  expect(Date.now() - t0).toBeLessThan(2500); // not held for the grace, not for the window
  expect(body(msg!)).toMatch(/^\[dataforge\/api\] alice released Version 1\.4\.0 \(v1\.4\.0\)/);
  await d.settle(); // the sender has recorded the send: runs are settled
  const runs = await d.store.listRuns({});
  const status = (id: string) => runs.find((r) => r.deliveryId === id)!.status;
  expect(status(release!.uuid)).toBe('announced');
  expect(status(tagPush!.uuid)).toBe('digested'); // merged into the release notice
  expect(await d.store.queueDepth()).toEqual({}); // nothing left to post: no "tagged" later
  expect(w.hs.messages(ROOM)).toHaveLength(1);
});

it('a tag pushed without a release is announced once the grace period ends', async () => {
  w = await startWorld({ tagGrace: '400ms', window: '1ms' });
  await w.installHooks();
  d = await startWorldDaemon(w);
  const t0 = Date.now();
  await w.gitea.pushTag('dataforge/web', 'v0.9.0', { pusher: 'bob' });
  const [msg] = await w.hs.waitForMessages(ROOM, 1, 3000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
  expect(body(msg!)).toContain('bob tagged v0.9.0 at');
});
