// The inbox over SqlDb: deliveries with their dedupe keys (a unique key on delivery id and on body
// hash, so dedupe is atomic across replicas sharing one PostgreSQL), and the one transaction that
// turns a delivery into its run, outbox rows and head.
import { tableNames } from './schema-sql.ts';
import { one, type SqlDb } from './db.ts';
import { sqlRunLog } from './sql-runlog.ts';
import { sqlOutbox } from './sql-outbox.ts';
import { sqlHeads } from './sql-heads.ts';
import { recordWindow } from './sql-windows.ts';
import type { Inbox } from './types.ts';

export function sqlInbox(db: SqlDb): Inbox {
  const t = tableNames(db.dialect);
  return {
    insertDelivery: (d) =>
      db.tx(async (x) => {
        const r = await one(x, `INSERT INTO ${t.deliveries} (delivery_id, body_sha256, event, repo, body, received_at, status) VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING RETURNING seq`, [
          d.deliveryId, d.bodySha256, d.event, d.repo, d.body, d.receivedAt,
        ]);
        if (!r) {
          const dup = await one(x, `SELECT delivery_id, CASE WHEN delivery_id = ? THEN 1 ELSE 0 END AS same_id FROM ${t.deliveries} WHERE delivery_id = ? OR body_sha256 = ? LIMIT 1`, [d.deliveryId, d.deliveryId, d.bodySha256]);
          return { inserted: false, duplicateOf: String(dup?.delivery_id ?? d.deliveryId), by: Number(dup?.same_id ?? 1) ? 'delivery_id' : 'body' } as const;
        }
        await sqlRunLog(x).addCalls(d.deliveryId, d.runId, d.calls);
        return { inserted: true, seq: Number(r.seq) } as const;
        // SQLite: processed in the batch that stores it (the processing thread's follow-up).
      }, { followUp: true }),
    async pendingDeliveries(limit) {
      // In a transaction (the worker's batch, a follow-up) this reads what the transaction sees.
      const rows = await db.all(`SELECT seq, delivery_id, event, repo, body, received_at FROM ${t.deliveries} WHERE status = 'pending' ORDER BY seq LIMIT ?`, [limit]);
      return rows.map((r) => ({ seq: Number(r.seq), deliveryId: String(r.delivery_id), event: String(r.event), repo: String(r.repo), body: String(r.body), receivedAt: Number(r.received_at) }));
    },
    commitProcessed: (p) =>
      db.tx(async (x) => {
        // Claim the delivery first: a second commit of the same one changes nothing (idempotent).
        if (!(await x.run(`UPDATE ${t.deliveries} SET status = 'done', processed_at = ? WHERE seq = ? AND status = 'pending'`, [Date.now(), p.seq]))) return;
        const log = sqlRunLog(x);
        // Its run exists already (a replay whose key predates this version, a repeated catch-up id):
        // a duplicate, recorded as such — never an error that would keep it pending forever.
        if (!(await log.recordRun(p.run))) {
          await x.run(`UPDATE ${t.deliveries} SET status = 'duplicate' WHERE seq = ?`, [p.seq]);
          return;
        }
        const outbox = sqlOutbox(x);
        for (const n of p.notices) await outbox.add(n);
        await log.addCalls(p.run.deliveryId, p.run.runId, p.calls);
        if (p.head) await sqlHeads(x).setHead(p.head.repo, p.head.branch, p.head.sha, p.run.receivedAt);
        for (const w of p.windows ?? []) await recordWindow(x, w.repo, w.room, w.window);
      }),
    deliveryFailed: (seq, error, maxAttempts, parked) =>
      db.tx(async (x) => {
        const row = await one(x, `UPDATE ${t.deliveries} SET attempts = attempts + 1, last_error = ? WHERE seq = ? AND status = 'pending' RETURNING attempts`, [error, seq]);
        if (!row || Number(row.attempts) < maxAttempts) return false;
        await x.run(`UPDATE ${t.deliveries} SET status = 'failed' WHERE seq = ?`, [seq]);
        await sqlRunLog(x).recordRun(parked);
        return true;
      }),
    pruneDeliveries: (olderThan) =>
      db.tx(async (x) => {
        await sqlOutbox(x).pruneSent(olderThan);
        return x.run(`UPDATE ${t.deliveries} SET body = NULL WHERE received_at < ? AND status <> 'pending' AND body IS NOT NULL`, [olderThan]);
      }),
  };
}
