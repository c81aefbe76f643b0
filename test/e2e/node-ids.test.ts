// Node ids across owners through the daemon: dataforge/api and otherorg/api get one node each, and
// the ids do not flip with whoever pushed last.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
afterEach(async () => {
  await d.stop();
  await w.close();
});

it('two owners\' "api" never share a node: the first recorded keeps gitea_push_api, the other carries its owner', async () => {
  w = await startWorld({ repos: ['dataforge/api', 'otherorg/api'], window: '1ms', repoRules: '  - { match: dataforge/api, notify: [news] }\n  - { match: otherorg/api, notify: [news] }' });
  await w.installHooks();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  await w.gitea.push('otherorg/api', { pusher: 'bob' });
  await w.hs.waitForMessages(ROOM, 2, 2000);
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 3, 3000);
  await d.settle();
  const nodes = (await d.store.listNodes()).map((n) => [n.nodeId, n.repo, n.runs]).sort();
  expect(nodes).toEqual([['gitea_push_api', 'dataforge/api', 2], ['gitea_push_otherorg__api', 'otherorg/api', 1]]);
  const runs = await d.store.listRuns({});
  expect(runs.map((r) => [r.repo, r.nodeId])).toEqual([['dataforge/api', 'gitea_push_api'], ['otherorg/api', 'gitea_push_otherorg__api'], ['dataforge/api', 'gitea_push_api']]);
});
