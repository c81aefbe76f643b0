// processDelivery's outbox rows carry what rendering needs, not the full commit messages (issue 10
// item 15): a held notice keeps its item without messages, a notice sent now only its content.
import { afterEach, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { processDelivery } from '../../src/pipeline/process.ts';
import { releaseDue } from '../../src/pipeline/release.ts';
import type { Store } from '../../src/adapters/store/types.ts';
import { runIdOf } from '../../src/pipeline/ids.ts';
import { kitRuntime, memoryStore, memoryWindows } from './pipeline-kit.ts';

let store: Store;
afterEach(async () => store?.close());

const push = JSON.parse(readFileSync(new URL('../fixtures/gitea/payloads/push-1-commit.json', import.meta.url), 'utf8'));
const LONG = 'full message body line\n' + 'x'.repeat(20_000);
const body = (id: string) => JSON.stringify({
  ...push, after: id.padEnd(40, '0'), repository: { ...push.repository, full_name: 'dataforge/api', name: 'api' },
  commits: push.commits.map((c: { message: string }) => ({ ...c, message: `Fix ${id}\n\n${LONG}` })),
});

it('full commit messages are stored neither per room nor in digests', async () => {
  store = await memoryStore();
  const runtime = await kitRuntime();
  const windows = memoryWindows();
  for (const id of ['a', 'b', 'c']) await store.insertDelivery({ deliveryId: id, runId: runIdOf(id), bodySha256: 'sha-' + id, event: 'push', repo: 'dataforge/api', body: body(id), receivedAt: 1000, calls: [] });
  for (const d of await store.pendingDeliveries(10)) await processDelivery(d, { runtime, store, windows, now: () => 1000 });
  const rows = async () => (await Promise.all(['a', 'b', 'c'].map((id) => store.noticesOfRun(runIdOf(id))))).flat();
  expect((await rows()).map((n) => n.status)).toEqual(['pending', 'held', 'held']);
  for (const n of await rows()) expect(n.item).not.toContain('full message body line');
  expect(JSON.parse((await rows())[1]!.item).commits[0].title).toBe('Fix b');
  await releaseDue({ store, windows, runtime, now: () => 5000 });
  const all = [...new Map((await rows()).map((n) => [n.id, n])).values()];
  expect(all.map((n) => n.kind)).toEqual(['notice', 'notice', 'digest', 'notice']);
  for (const n of all) expect(n.item.length, n.kind).toBeLessThan(200);
});

it('a repository whose node is recorded is not looked up again: one node-id query per repository, not per delivery', async () => {
  store = await memoryStore();
  const runtime = await kitRuntime();
  const windows = memoryWindows();
  let lookups = 0;
  const counted: Store = Object.assign(Object.create(store), { nodesNamed: (name: string, ids: string[]) => (lookups++, store.nodesNamed(name, ids)) });
  const nodeIds = new Map<string, string>();
  for (const id of ['a', 'b', 'c']) {
    await store.insertDelivery({ deliveryId: id, runId: runIdOf(id), bodySha256: 'sha-' + id, event: 'push', repo: 'dataforge/api', body: body(id), receivedAt: 1000, calls: [] });
    for (const d of await store.pendingDeliveries(10)) await processDelivery(d, { runtime, store: counted, windows, now: () => 1000, nodeIds });
  }
  // The first delivery finds no node (it creates it), the second finds and remembers it.
  expect(lookups).toBe(2);
  expect((await store.listRuns({})).map((r) => r.nodeId)).toEqual(['gitea_push_api', 'gitea_push_api', 'gitea_push_api']);
});
