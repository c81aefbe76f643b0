// Node ids across owners (issue 11, item 5): dataforge/api and otherorg/api never share a node, the
// first owner recorded keeps `gitea_push_api`, and the migration splits nodes an older version shared.
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlStore } from '../../../src/adapters/store/sql-store.ts';
import { tableNames } from '../../../src/adapters/store/schema-sql.ts';
import { chooseNodeId } from '../../../src/records/node-id.ts';
import { rawBackends, schemaAt } from '../../helpers/schema-at.ts';

describe('chooseNodeId', () => {
  it.each([
    ['one owner: the short id', 'dataforge/api', [], 'gitea_push_api'],
    ['a repository keeps its node', 'dataforge/api', [{ nodeId: 'gitea_push_api', repo: 'Dataforge/API' }], 'gitea_push_api'],
    ['a second owner carries the owner', 'otherorg/api', [{ nodeId: 'gitea_push_api', repo: 'dataforge/api' }], 'gitea_push_otherorg__api'],
    ['the first owner keeps the short id after a second appears', 'dataforge/api', [{ nodeId: 'gitea_push_api', repo: 'dataforge/api' }, { nodeId: 'gitea_push_otherorg__api', repo: 'otherorg/api' }], 'gitea_push_api'],
    ['even a long id already held is never shared', 'a/b', [{ nodeId: 'gitea_push_b', repo: 'x/b' }, { nodeId: 'gitea_push_a__b', repo: 'x/a__b' }], expect.stringMatching(/^gitea_push_a__b_[0-9a-f]{8}$/)],
  ])('%s', (_name, repo, known, want) => {
    expect(chooseNodeId(repo, known)).toEqual(want);
  });
});


describe.each(rawBackends)('the node-owner migration on %s', (dialect, open) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('splits a node two owners shared: the oldest run\'s repository keeps it, the other gets gitea_push_<owner>__<name>', async () => {
    const { db, drop } = await open();
    cleanup.push(async () => (await db.close(), await drop()));
    const t = tableNames(db.dialect);
    // The schema as the previous version left it (migrations 1 and 2), with a shared node.
    await schemaAt(db, 2);
    const run = (id: string, repo: string, at: number, status: string) =>
      db.run(`INSERT INTO ${t.runs} (run_id, node_id, repo, trigger, status, event, delivery_id, received_at) VALUES (?, 'gitea_push_api', ?, 'webhook', ?, 'push', ?, ?)`, [id, repo, status, 'd-' + id, at]);
    await run('r1', 'dataforge/api', 1000, 'announced');
    await run('r2', 'otherorg/api', 2000, 'failed');
    await run('r3', 'dataforge/api', 3000, 'skipped');
    await run('r4', 'otherorg/api', 4000, 'announced');
    await run('w1', 'dataforge/web', 1500, 'announced');
    await db.run(`UPDATE ${t.runs} SET node_id = 'gitea_push_web' WHERE run_id = 'w1'`);
    await db.run(`INSERT INTO ${t.nodes} (node_id, repo, last_run_at, last_status, created_at) VALUES ('gitea_push_api', 'otherorg/api', 4000, 'announced', 1000), ('gitea_push_web', 'dataforge/web', 1500, 'announced', 1500)`);

    const store = createSqlStore(db);
    await store.migrate();
    const nodes = (await store.listNodes()).map((n) => [n.nodeId, n.repo, n.lastRunAt, n.lastStatus, n.runs]).sort();
    expect(nodes).toEqual([
      ['gitea_push_api', 'dataforge/api', 3000, 'skipped', 2],
      ['gitea_push_otherorg__api', 'otherorg/api', 4000, 'announced', 2],
      ['gitea_push_web', 'dataforge/web', 1500, 'announced', 1],
    ]);
    expect((await store.listRuns({ nodeId: 'gitea_push_otherorg__api' })).map((r) => r.runId)).toEqual(['r4', 'r2']);
    // From now on the records keep answering the same way.
    expect(await store.nodesNamed('api', [])).toHaveLength(2);
    expect(dialect).toBe(db.dialect);
  });
});
