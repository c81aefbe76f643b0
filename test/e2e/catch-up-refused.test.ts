// A delivery the daemon could not store (the database failed) is answered 5xx, and Gitea never
// sends it again. Once deliveries are stored again, a catch-up pass announces what was missed.
import { afterEach, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { superviseHooks } from '../../src/runtime/hooks.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
afterEach(async () => {
  await d.stop();
  await w.close();
});
const body = (m: { content: unknown }) => String((m.content as { body: string }).body);

it('after deliveries were refused because the store failed, the missed push is caught up once', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks();
  d = await startWorldDaemon(w, { hooks: superviseHooks });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);

  // The database loses the inbox table for a moment: the delivery cannot be stored.
  const db = new DatabaseSync(join(w.dir, 'data', 'monitor.db'));
  db.exec('ALTER TABLE monitor_deliveries RENAME TO monitor_deliveries_away');
  const before = w.gitea.branchHeads('dataforge/api').main!;
  const [lost] = await w.gitea.push('dataforge/api', { pusher: 'bob', commits: [{ message: 'Lost change', author: { name: 'Bob', email: 'bob@example.com', username: 'bob' } }] });
  expect(lost!.status).toBe(500);
  db.exec('ALTER TABLE monitor_deliveries_away RENAME TO monitor_deliveries');
  db.close();
  const after = w.gitea.branchHeads('dataforge/api').main!;

  const [next] = await w.gitea.push('dataforge/web', { pusher: 'alice' });
  expect(next!.status).toBe(202);
  const msgs = await w.hs.waitForMessages(ROOM, 3, 10_000);
  const caught = msgs.map(body).find((b) => b.includes('offline'));
  expect(caught).toContain(`main moved ${before.slice(0, 7)}..${after.slice(0, 7)} (head by bob)`);
  expect(caught).toContain('Lost change');
  await d.settle();
  expect(w.hs.messages(ROOM).filter((m) => body(m).includes('offline'))).toHaveLength(1);
});
