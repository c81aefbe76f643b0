// Migration 8 (issue 13): a run's delivery id loses its unique index — the run id is derived from
// it, so the primary key refuses a second run of a delivery — and the runs an older version
// recorded come through whole, with their node index, on SQLite (a table rebuild) and PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlStore } from '../../../src/adapters/store/sql-store.ts';
import { sqlRunLog } from '../../../src/adapters/store/sql-runlog.ts';
import { tableNames } from '../../../src/adapters/store/schema-sql.ts';
import { runIdOf } from '../../../src/pipeline/ids.ts';
import type { RunRecord } from '../../../src/adapters/store/types.ts';
import { rawBackends, schemaAt } from '../../helpers/schema-at.ts';


const run = (deliveryId: string, over: Partial<RunRecord> = {}): RunRecord => ({
  runId: runIdOf(deliveryId), nodeId: 'gitea_push_api', repo: 'dataforge/api', trigger: 'webhook', status: 'announced', event: 'push',
  ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40), commits: 2, deliveryId, receivedAt: 1000, notifiedAt: 1500,
  summary: 'alice pushed 2 commits to main', error: null, ...over,
});

describe.each(rawBackends)('the runs table without a delivery key, on %s', (_dialect, open) => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('keeps every run an older version recorded, and its node index; the run id alone refuses a second run', async () => {
    const { db, drop } = await open();
    cleanup.push(async () => (await db.close(), await drop()));
    const t = tableNames(db.dialect);
    // The schema as the previous version left it (migrations 1-7), with two runs recorded.
    await schemaAt(db, 7);
    const log = sqlRunLog(db);
    const old = [run('d-1'), run('d-2', { status: 'failed', error: 'homeserver refused', notifiedAt: null, receivedAt: 2000 })];
    for (const r of old) expect(await log.recordRun(r)).toBe(true);

    const store = createSqlStore(db);
    await store.migrate();
    expect(await store.getRun(old[0]!.runId)).toEqual(old[0]);
    expect(await store.getRun(old[1]!.runId)).toEqual(old[1]);
    expect((await store.listRuns({ nodeId: 'gitea_push_api' })).map((r) => r.deliveryId)).toEqual(['d-2', 'd-1']);
    const indexes = db.dialect === 'postgres'
      ? (await db.all(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'data_factory' AND tablename = 'runs'`)).map((r) => String(r.name))
      : (await db.all(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`, [t.runs])).map((r) => String(r.name));
    expect(indexes.sort()).toEqual((db.dialect === 'postgres' ? ['data_factory_runs_node', 'runs_pkey'] : ['data_factory_runs_node', 'sqlite_autoindex_data_factory_runs_1']).sort());
    // (sqlite_autoindex_…_1 is the primary key's; the delivery id's was _2.)
    // The same delivery again is the same run id: refused by the primary key.
    expect(await log.recordRun(run('d-1', { status: 'queued' }))).toBe(false);
    // The delivery id is no longer a key (an index on it was only a cost).
    expect(await log.recordRun({ ...run('d-1'), runId: 'run_other' })).toBe(true);
  });
});
