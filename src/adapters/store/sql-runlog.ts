// The run log over SqlDb: nodes, runs and call chains. Read side is the RunLog port; the writes are
// used by the inbox and the outbox inside their transactions.
import { tableNames } from './schema-sql.ts';
import { one, type Param, type SqlDb } from './db.ts';
import { RUN_COLUMNS, runParams, toCall, toNode, toRun } from './rows.ts';
import type { Settlement } from './settle.ts';
import type { CallRecord, RunLog, RunRecord } from './types.ts';

export interface RunLogWrites {
  /** Inserts the run and its node; false when the run exists already (nothing written). */
  recordRun(r: RunRecord): Promise<boolean>;
  addCalls(deliveryId: string, runId: string | null, calls: CallRecord[]): Promise<void>;
  /** A queued run gets its final status (and its node, if this is its latest run). */
  settle(runId: string, s: NonNullable<Settlement>): Promise<void>;
  setError(runIds: string[], error: string | null, requeue: boolean): Promise<void>;
}

export function sqlRunLog(db: SqlDb): RunLog & RunLogWrites {
  const t = tableNames(db.dialect);
  /** The node a run belongs to, its last run and status kept to the newest run. */
  const upsertNode = (r: RunRecord) =>
    db.run(
      `INSERT INTO ${t.nodes} AS n (node_id, repo, kind, last_run_at, last_status, created_at) VALUES (?, ?, 'extractor', ?, ?, ?)
       ON CONFLICT (node_id) DO UPDATE SET repo = excluded.repo,
         last_status = CASE WHEN excluded.last_run_at >= COALESCE(n.last_run_at, 0) THEN excluded.last_status ELSE n.last_status END,
         last_run_at = CASE WHEN excluded.last_run_at >= COALESCE(n.last_run_at, 0) THEN excluded.last_run_at ELSE n.last_run_at END`,
      [r.nodeId, r.repo, r.receivedAt, r.status, r.receivedAt],
    );
  return {
    async recordRun(r) {
      if (!(await db.run(`INSERT INTO ${t.runs} (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, runParams(r) as Param[]))) return false;
      await upsertNode(r);
      return true;
    },
    // One multi-row INSERT per chain segment: a statement costs more than a row.
    async addCalls(deliveryId, runId, calls) {
      if (!calls.length) return;
      const params: Param[] = [];
      for (const c of calls) params.push(deliveryId, runId, c.step, Math.round(c.startedAt), c.durationMs, c.outcome, c.detail ?? null);
      await db.run(`INSERT INTO ${t.calls} (delivery_id, run_id, step, started_at, duration_ms, outcome, detail) VALUES ${calls.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, params);
    },
    async settle(runId, s) {
      await db.run(`UPDATE ${t.runs} SET status = ?, notified_at = ? WHERE run_id = ? AND status = 'queued'`, [s.status, s.notifiedAt, runId]);
      await db.run(`UPDATE ${t.nodes} SET last_status = ? WHERE node_id = (SELECT node_id FROM ${t.runs} WHERE run_id = ?) AND last_run_at = (SELECT received_at FROM ${t.runs} WHERE run_id = ?)`, [s.status, runId, runId]);
    },
    async setError(runIds, error, requeue) {
      for (const runId of runIds) await db.run(`UPDATE ${t.runs} SET error = ?${requeue ? ", status = 'queued'" : ''} WHERE run_id = ?`, [error, runId]);
    },
    async listNodes() {
      return (await db.all(`SELECT n.*, (SELECT COUNT(*) FROM ${t.runs} r WHERE r.node_id = n.node_id) AS runs FROM ${t.nodes} n ORDER BY n.last_run_at DESC, n.node_id`)).map(toNode);
    },
    async nodesNamed(name, ids) {
      const like = '%/' + name.toLowerCase().replace(/[!%_]/g, (c) => '!' + c);
      const rows = await db.all(`SELECT node_id, repo FROM ${t.nodes} WHERE LOWER(repo) LIKE ? ESCAPE '!'${ids.length ? ` OR node_id IN (${ids.map(() => '?').join(', ')})` : ''}`, [like, ...ids]);
      return rows.map((r) => ({ nodeId: String(r.node_id), repo: String(r.repo) }));
    },
    async listRuns({ nodeId, limit = 100, status }) {
      const where: string[] = [];
      const p: Param[] = [];
      if (nodeId) (where.push('node_id = ?'), p.push(nodeId));
      if (status) (where.push('status = ?'), p.push(status));
      const sql = `SELECT ${RUN_COLUMNS} FROM ${t.runs} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY received_at DESC, run_id DESC LIMIT ?`;
      return (await db.all(sql, [...p, limit])).map(toRun);
    },
    async getRun(runId) {
      const r = await one(db, `SELECT ${RUN_COLUMNS} FROM ${t.runs} WHERE run_id = ?`, [runId]);
      return r ? toRun(r) : null;
    },
    async callsOf(deliveryId) {
      return (await db.all(`SELECT * FROM ${t.calls} WHERE delivery_id = ? ORDER BY id`, [deliveryId])).map(toCall);
    },
  };
}
