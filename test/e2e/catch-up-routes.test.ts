// Catch-up stores a delivery only for what the routes announce: a branch outside `branches` that
// moved meanwhile is recorded quietly, as the receiver ignores its live delivery.
import { afterEach, expect, it } from 'vitest';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { catchUp } from '../../src/runtime/catch-up.ts';
import { createGiteaClient } from '../../src/adapters/gitea/client.ts';
import { Secret } from '../../src/secret.ts';
import { memoryLogger } from '../../src/log.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
afterEach(async () => {
  await d.stop();
  await w.close();
});

it('records, but does not announce, changes of branches the routes leave out', async () => {
  w = await startWorld({ window: '1ms', repoRules: '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news], branches: [main] }' });
  await w.installHooks(['dataforge/api']);
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await d.settle();
  const client = createGiteaClient({ baseUrl: w.gitea.url, token: new Secret(SECRETS.GITEA_TOKEN) });
  const pass = () => catchUp({ runtime: d.runtime, store: d.store, client, logger: memoryLogger(), onStored: () => d.worker.wake(), repos: ['dataforge/api'] });
  expect(await pass()).toMatchObject({ stored: 0, errors: [] }); // the baseline

  const [created] = await w.gitea.createBranch('dataforge/api', 'dev', { pusher: 'bob', commits: 1 });
  expect(created!.status).toBe(202); // ignored by the receiver: not routed
  expect(await pass()).toMatchObject({ moved: 0, stored: 0 });
  expect((await d.store.heads('dataforge/api')).dev).toBe(w.gitea.branchHeads('dataforge/api').dev);
  await d.settle();
  expect(w.hs.messages(ROOM)).toHaveLength(1);
});
