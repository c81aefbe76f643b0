// The records port over SqlDb, written once for SQLite and PostgreSQL. Dedupe is a unique key on
// delivery id and on body hash, so it is atomic across replicas sharing one PostgreSQL.
import { migrations, tableNames } from './schema-sql.ts';
import { one, type Param, type SqlDb } from './db.ts';
import { NOTICE_INSERT_COLUMNS, RUN_COLUMNS, runParams, toCall, toNode, toNotice, toRun } from './rows.ts';
import type { CallRecord, NewNotice, Store } from './types.ts';

export function createSqlStore(db: SqlDb): Store {
  const t = tableNames(db.dialect);
  // One multi-row INSERT per chain segment: a statement costs more than a row.
  const insertCalls = async (x: SqlDb, deliveryId: string, runId: string | null, calls: CallRecord[]) => {
    if (!calls.length) return;
    const params: Param[] = [];
    for (const c of calls) params.push(deliveryId, runId, c.step, Math.round(c.startedAt), c.durationMs, c.outcome, c.detail ?? null);
    await x.run(`INSERT INTO ${t.calls} (delivery_id, run_id, step, started_at, duration_ms, outcome, detail) VALUES ${calls.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, params);
  };
  const insertNotice = async (x: SqlDb, n: NewNotice): Promise<number> => {
    const r = await one(x, `INSERT INTO ${t.notices} (${NOTICE_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [
      n.runId, n.deliveryId, n.repo, n.room, n.kind, n.status, n.holdUntil, n.txnId, n.item, n.content, n.createdAt,
    ]);
    return Number(r!.id);
  };
  /** Runs whose notices are all settled get their final status and notified_at. */
  const settleRuns = async (x: SqlDb, runIds: string[]) => {
    for (const runId of runIds) {
      const rows = await x.all(
        `SELECT m.status, m.sent_at, d.status AS dstatus, d.sent_at AS dsent FROM ${t.notices} m LEFT JOIN ${t.notices} d ON d.id = m.digest_id WHERE m.run_id = ? AND m.kind <> 'trigger'`, [runId]);
      const state = rows.map((r) => (r.status === 'merged' ? { s: String(r.dstatus), at: r.dsent } : { s: String(r.status), at: r.sent_at }));
      if (!state.length || state.some((s) => s.s !== 'sent' && s.s !== 'failed')) continue;
      const failed = state.some((s) => s.s === 'failed');
      const notifiedAt = Math.max(0, ...state.map((s) => Number(s.at ?? 0))) || null;
      const status = failed ? 'failed' : rows.some((r) => r.status === 'merged') ? 'digested' : 'announced';
      await x.run(`UPDATE ${t.runs} SET status = ?, notified_at = ? WHERE run_id = ? AND status = 'queued'`, [status, notifiedAt, runId]);
      await x.run(`UPDATE ${t.nodes} SET last_status = ? WHERE node_id = (SELECT node_id FROM ${t.runs} WHERE run_id = ?) AND last_run_at = (SELECT received_at FROM ${t.runs} WHERE run_id = ?)`, [status, runId, runId]);
    }
  };
  const writeHead = async (x: SqlDb, repo: string, branch: string, sha: string | null, at: number) => {
    if (sha === null) await x.run(`DELETE FROM ${t.heads} WHERE repo = ? AND branch = ?`, [repo, branch]);
    else
      await x.run(
        `INSERT INTO ${t.heads} (repo, branch, sha, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (repo, branch) DO UPDATE SET sha = excluded.sha, updated_at = excluded.updated_at`,
        [repo, branch, sha, at],
      );
  };
  const runsOfNotice = async (x: SqlDb, id: number): Promise<string[]> =>
    [...new Set((await x.all(`SELECT run_id FROM ${t.notices} WHERE (id = ? OR digest_id = ?) AND run_id IS NOT NULL`, [id, id])).map((r) => String(r.run_id)))];

  return {
    dialect: db.dialect,
    batch: (fn) => db.tx((x) => fn(createSqlStore(x))),
    async migrate() {
      await db.tx(async (x) => {
        if (x.dialect === 'postgres') await x.run('SELECT pg_advisory_xact_lock(7400451)');
        await x.run(`CREATE TABLE IF NOT EXISTS ${t.meta} (version INTEGER NOT NULL)`);
        const done = Number((await one(x, `SELECT MAX(version) AS v FROM ${t.meta}`))?.v ?? 0);
        const all = migrations(x.dialect);
        for (let i = done; i < all.length; i++) {
          for (const s of all[i]!) await x.run(s);
          await x.run(`INSERT INTO ${t.meta} (version) VALUES (?)`, [i + 1]);
        }
      });
    },
    insertDelivery: (d) =>
      db.tx(async (x) => {
        const r = await one(x, `INSERT INTO ${t.deliveries} (delivery_id, body_sha256, event, repo, body, received_at, status) VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING RETURNING seq`, [
          d.deliveryId, d.bodySha256, d.event, d.repo, d.body, d.receivedAt,
        ]);
        if (!r) {
          const dup = await one(x, `SELECT delivery_id, CASE WHEN delivery_id = ? THEN 1 ELSE 0 END AS same_id FROM ${t.deliveries} WHERE delivery_id = ? OR body_sha256 = ? LIMIT 1`, [d.deliveryId, d.deliveryId, d.bodySha256]);
          return { inserted: false, duplicateOf: String(dup?.delivery_id ?? d.deliveryId), by: Number(dup?.same_id ?? 1) ? 'delivery_id' : 'body' } as const;
        }
        await insertCalls(x, d.deliveryId, d.runId, d.calls);
        return { inserted: true, seq: Number(r.seq) } as const;
      }),
    async pendingDeliveries(limit) {
      const rows = await db.all(`SELECT seq, delivery_id, event, repo, body, received_at FROM ${t.deliveries} WHERE status = 'pending' ORDER BY seq LIMIT ?`, [limit]);
      return rows.map((r) => ({ seq: Number(r.seq), deliveryId: String(r.delivery_id), event: String(r.event), repo: String(r.repo), body: String(r.body), receivedAt: Number(r.received_at) }));
    },
    commitProcessed: (p) =>
      db.tx(async (x) => {
        // Claim the delivery first: a second commit of the same one changes nothing (idempotent).
        if (!(await x.run(`UPDATE ${t.deliveries} SET status = 'done', processed_at = ? WHERE seq = ? AND status = 'pending'`, [Date.now(), p.seq]))) return;
        const r = p.run;
        await x.run(
          `INSERT INTO ${t.nodes} AS n (node_id, repo, kind, last_run_at, last_status, created_at) VALUES (?, ?, 'extractor', ?, ?, ?)
           ON CONFLICT (node_id) DO UPDATE SET repo = excluded.repo,
             last_status = CASE WHEN excluded.last_run_at >= COALESCE(n.last_run_at, 0) THEN excluded.last_status ELSE n.last_status END,
             last_run_at = CASE WHEN excluded.last_run_at >= COALESCE(n.last_run_at, 0) THEN excluded.last_run_at ELSE n.last_run_at END`,
          [r.nodeId, r.repo, r.receivedAt, r.status, r.receivedAt],
        );
        await x.run(`INSERT INTO ${t.runs} (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING`, runParams(r) as Param[]);
        for (const n of p.notices) await insertNotice(x, n);
        await insertCalls(x, r.deliveryId, r.runId, p.calls);
        if (p.head) await writeHead(x, p.head.repo, p.head.branch, p.head.sha, r.receivedAt);
      }),
    async heads(repo) {
      const out: Record<string, string> = {};
      for (const r of await db.all(`SELECT branch, sha FROM ${t.heads} WHERE repo = ?`, [repo])) out[String(r.branch)] = String(r.sha);
      return out;
    },
    async reposWithHeads() {
      return (await db.all(`SELECT DISTINCT repo FROM ${t.heads} ORDER BY repo`)).map((r) => String(r.repo));
    },
    setHead: (repo, branch, sha, at) => db.tx((x) => writeHead(x, repo, branch, sha, at)),
    async roomsWithPending() {
      return (await db.all(`SELECT DISTINCT room FROM ${t.notices} WHERE status = 'pending'`)).map((r) => String(r.room));
    },
    async headNotice(room) {
      const r = await one(db, `SELECT * FROM ${t.notices} WHERE room = ? AND status = 'pending' ORDER BY id LIMIT 1`, [room]);
      return r ? toNotice(r) : null;
    },
    async markAttempt(id, at, next, error) {
      await db.run(`UPDATE ${t.notices} SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?), next_attempt_at = ?, last_error = ? WHERE id = ?`, [at, next, error, id]);
    },
    markSent: (id, eventId, sentAt, calls) =>
      db.tx(async (x) => {
        await x.run(`UPDATE ${t.notices} SET status = 'sent', sent_at = ?, event_id = ?, next_attempt_at = NULL, attempts = attempts + 1 WHERE id = ?`, [sentAt, eventId, id]);
        for (const m of await x.all(`SELECT delivery_id, run_id FROM ${t.notices} WHERE (id = ? OR digest_id = ?) AND delivery_id IS NOT NULL`, [id, id]))
          await insertCalls(x, String(m.delivery_id), m.run_id === null ? null : String(m.run_id), calls);
        await settleRuns(x, await runsOfNotice(x, id));
      }),
    markFailed: (id, error) =>
      db.tx(async (x) => {
        await x.run(`UPDATE ${t.notices} SET status = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ?`, [error, id]);
        await x.run(`UPDATE ${t.runs} SET error = ? WHERE run_id IN (SELECT run_id FROM ${t.notices} WHERE (id = ? OR digest_id = ?) AND run_id IS NOT NULL)`, [error, id, id]);
        await settleRuns(x, await runsOfNotice(x, id));
      }),
    async heldGroupsDue(now, limit) {
      const rows = await db.all(
        `SELECT repo, room, MIN(id) AS first FROM ${t.notices} WHERE status = 'held' AND hold_until <= ? GROUP BY repo, room ORDER BY first LIMIT ?`, [now, limit]);
      return rows.map((r) => ({ repo: String(r.repo), room: String(r.room) }));
    },
    async heldOf(repo, room) {
      return (await db.all(`SELECT * FROM ${t.notices} WHERE status = 'held' AND repo = ? AND room = ? ORDER BY id`, [repo, room])).map(toNotice);
    },
    async hasHeld(repo, room) {
      return !!(await one(db, `SELECT 1 AS x FROM ${t.notices} WHERE status = 'held' AND repo = ? AND room = ? LIMIT 1`, [repo, room]));
    },
    releaseHeld: (memberIds, digest, single) =>
      db.tx(async (x) => {
        if (single) {
          await x.run(`UPDATE ${t.notices} SET status = 'pending', hold_until = NULL, content = ? WHERE id = ? AND status = 'held'`, [single.content, single.id]);
          return;
        }
        if (!digest) return;
        const id = await insertNotice(x, digest);
        for (const m of memberIds) await x.run(`UPDATE ${t.notices} SET status = 'merged', digest_id = ? WHERE id = ? AND status = 'held'`, [id, m]);
      }),
    mergeHeld: (memberIds, intoTxnId) =>
      db.tx(async (x) => {
        for (const m of memberIds)
          await x.run(`UPDATE ${t.notices} SET status = 'merged', digest_id = (SELECT id FROM ${t.notices} WHERE txn_id = ?) WHERE id = ? AND status = 'held'`, [intoTxnId, m]);
      }),
    retryFailed: (runId, now) =>
      db.tx(async (x) => {
        const ids = (await x.all(
          `SELECT DISTINCT CASE WHEN n.status = 'merged' THEN d.id ELSE n.id END AS id FROM ${t.notices} n LEFT JOIN ${t.notices} d ON d.id = n.digest_id
           WHERE n.run_id = ? AND (n.status = 'failed' OR (n.status = 'merged' AND d.status = 'failed'))`, [runId])).map((r) => Number(r.id));
        for (const id of ids) {
          await x.run(`UPDATE ${t.notices} SET status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = ?, last_error = NULL WHERE id = ?`, [now, id]);
          await x.run(`UPDATE ${t.runs} SET status = 'queued', error = NULL WHERE run_id IN (SELECT run_id FROM ${t.notices} WHERE (id = ? OR digest_id = ?) AND run_id IS NOT NULL)`, [id, id]);
        }
        return ids.length;
      }),
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
    async noticesOfRun(runId) {
      return (await db.all(`SELECT * FROM ${t.notices} WHERE run_id = ? OR id IN (SELECT digest_id FROM ${t.notices} WHERE run_id = ? AND digest_id IS NOT NULL) ORDER BY id`, [runId, runId])).map(toNotice);
    },
    async queueDepth() {
      const out: Record<string, number> = {};
      for (const r of await db.all(`SELECT room, COUNT(*) AS n FROM ${t.notices} WHERE status IN ('pending', 'held') GROUP BY room`)) out[String(r.room)] = Number(r.n);
      return out;
    },
    async pruneDeliveries(olderThan) {
      return db.run(`DELETE FROM ${t.deliveries} WHERE received_at < ? AND status = 'done'`, [olderThan]);
    },
    close: () => db.close(),
  };
}
