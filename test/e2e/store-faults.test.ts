// The records database failing under a running daemon: another writer holding the SQLite lock
// (issue 10 item 5), the data folder deleted (item 12). Deliveries get 503 (nothing acknowledged that is not stored), readiness says
// so, the process stays up and answers /-/healthy, and once the lock is gone everything flows again.
import { afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const status = async (path: string) => (await fetch(d!.url + path)).status;

it('another writer holding the SQLite lock: 503 to Gitea, not ready, still alive; all flows again after', async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  const other = new DatabaseSync(join(w.dir, 'data', 'monitor.db'));
  other.exec('BEGIN IMMEDIATE');
  try {
    const [refused] = await w.gitea.push('dataforge/web', { pusher: 'bob' });
    expect(refused!.status).toBe(503);
    expect(await status('/-/healthy')).toBe(200);
    expect(await status('/-/ready')).toBe(503);
  } finally {
    other.exec('COMMIT');
    other.close();
  }
  await expect.poll(() => status('/-/ready'), { timeout: 5000 }).toBe(200);
  const [accepted] = await w.gitea.push('dataforge/pipelines', { pusher: 'bob' });
  expect(accepted!.status).toBe(202);
  await w.hs.waitForMessages(ROOM, 2, 3000);
  await d.settle();
  expect((await d.store.listRuns({})).map((r) => r.repo).sort()).toEqual(['dataforge/api', 'dataforge/pipelines']);
}, 20_000);

it('the data folder deleted at run time: deliveries get 503 and the daemon goes unready, naming the file', async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  rmSync(join(w.dir, 'data'), { recursive: true });
  const [refused] = await w.gitea.push('dataforge/web', { pusher: 'bob' });
  expect(refused!.status).toBe(503);
  const ready = await fetch(d.url + '/-/ready');
  expect(ready.status).toBe(503);
  expect(((await ready.json()) as { detail: string }).detail).toMatch(/monitor\.db was deleted while open/);
  expect(await status('/-/healthy')).toBe(200);
});
