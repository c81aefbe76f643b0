// The outbox over SqlDb: notices, digests and trigger calls. Sending one settles the runs it
// belongs to (settleRun, pure) in the same transaction.
import { tableNames } from './schema-sql.ts';
import { recordWindow } from './sql-windows.ts';
import { one, type SqlDb } from './db.ts';
import { NOTICE_INSERT_COLUMNS, toNotice } from './rows.ts';
import { settleRun, type MemberState } from './settle.ts';
import { sqlRunLog } from './sql-runlog.ts';
import type { NewNotice, NoticeStatus, Outbox } from './types.ts';
import { destFromColumns, destKey, destName } from './destination.ts';

export interface OutboxWrites {
  add(n: NewNotice): Promise<number>;
  /** Drops the rendered text of notices sent before the cut-off. */
  pruneSent(olderThan: number): Promise<number>;
}

/** Sent and failed marks are derived (see TxOptions): a sent mark lost to a power cut means the
 * notice is sent again with its txnId, which the homeserver answers with the first event; a lost
 * failed mark means one more try. Releases and merges are not (a digest re-released after a power
 * cut could have other members, so another txnId). */
const DERIVED = { derived: true } as const;

export function sqlOutbox(db: SqlDb): Outbox & OutboxWrites {
  const t = tableNames(db.dialect);
  const add = async (x: SqlDb, n: NewNotice): Promise<number> => {
    const r = await one(x, `INSERT INTO ${t.notices} (${NOTICE_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [
      n.runId, n.deliveryId, n.repo, n.dest.kind, destName(n.dest), n.kind, n.status, n.holdUntil, n.txnId, n.item, n.content, n.createdAt,
    ]);
    return Number(r!.id);
  };
  const runsOfNotice = async (x: SqlDb, id: number): Promise<string[]> =>
    [...new Set((await x.all(`SELECT run_id FROM ${t.notices} WHERE (id = ? OR digest_id = ?) AND run_id IS NOT NULL`, [id, id])).map((r) => String(r.run_id)))];
  /** Runs whose notices are all settled get their final status and notified_at. */
  const settleRuns = async (x: SqlDb, runIds: string[]) => {
    const log = sqlRunLog(x);
    for (const runId of runIds) {
      const rows = await x.all(
        `SELECT m.status, m.sent_at, d.status AS dstatus, d.sent_at AS dsent FROM ${t.notices} m LEFT JOIN ${t.notices} d ON d.id = m.digest_id WHERE m.run_id = ? AND m.kind <> 'trigger'`, [runId]);
      const members: MemberState[] = rows.map((r) => ({
        status: r.status as NoticeStatus, sentAt: r.sent_at === null ? null : Number(r.sent_at),
        digest: r.dstatus === null || r.dstatus === undefined ? null : { status: r.dstatus as NoticeStatus, sentAt: r.dsent === null ? null : Number(r.dsent) },
      }));
      const s = settleRun(members);
      if (s) await log.settle(runId, s);
    }
  };
  return {
    add: (n) => add(db, n),
    pruneSent: (olderThan) =>
      // The rendered text of what was sent goes (a failed notice keeps it for `retry`).
      db.run(`UPDATE ${t.notices} SET content = NULL, item = '{}' WHERE created_at < ? AND status = 'sent' AND content IS NOT NULL`, [olderThan]),
    async pendingDestinations() {
      return (await db.all(`SELECT DISTINCT dest_kind, room FROM ${t.notices} WHERE status = 'pending'`)).map((r) => destFromColumns(r.dest_kind, r.room));
    },
    // The rows to send: only once durable (a notice must never go out for a delivery a power cut
    // could take back, which catch-up would then announce a second time).
    async headNotice(dest) {
      const r = await one(db, `SELECT * FROM ${t.notices} WHERE dest_kind = ? AND room = ? AND status = 'pending' ORDER BY id LIMIT 1`, [dest.kind, destName(dest)]);
      await db.durable?.();
      return r ? toNotice(r) : null;
    },
    async headNotices(dest, limit) {
      const rows = await db.all(`SELECT * FROM ${t.notices} WHERE dest_kind = ? AND room = ? AND status = 'pending' ORDER BY id LIMIT ?`, [dest.kind, destName(dest), limit]);
      await db.durable?.();
      return rows.map(toNotice);
    },
    async markAttempt(id, at, next, error) {
      await db.run(`UPDATE ${t.notices} SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?), next_attempt_at = ?, last_error = ? WHERE id = ?`, [at, next, error, id]);
    },
    markSent: (id, eventId, sentAt, calls) =>
      db.tx(async (x) => {
        await x.run(`UPDATE ${t.notices} SET status = 'sent', sent_at = ?, event_id = ?, next_attempt_at = NULL, attempts = attempts + 1 WHERE id = ?`, [sentAt, eventId, id]);
        const log = sqlRunLog(x);
        for (const m of await x.all(`SELECT delivery_id, run_id FROM ${t.notices} WHERE (id = ? OR digest_id = ?) AND delivery_id IS NOT NULL`, [id, id]))
          await log.addCalls(String(m.delivery_id), m.run_id === null ? null : String(m.run_id), calls);
        await settleRuns(x, await runsOfNotice(x, id));
      }, DERIVED),
    markFailed: (id, error) =>
      db.tx(async (x) => {
        await x.run(`UPDATE ${t.notices} SET status = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ?`, [error, id]);
        const runs = await runsOfNotice(x, id);
        await sqlRunLog(x).setError(runs, error, false);
        await settleRuns(x, runs);
      }, DERIVED),
    async heldGroupsDue(now, limit, horizonMs = Number.MAX_SAFE_INTEGER - now) {
      const rows = await db.all(
        `SELECT repo, room, MIN(id) AS first FROM ${t.notices} WHERE status = 'held' AND (hold_until <= ? OR hold_until > ?) GROUP BY repo, room ORDER BY first LIMIT ?`,
        [now, now + horizonMs, limit]);
      return rows.map((r) => ({ repo: String(r.repo), room: String(r.room) }));
    },
    async heldOf(repo, room) {
      return (await db.all(`SELECT * FROM ${t.notices} WHERE status = 'held' AND repo = ? AND room = ? ORDER BY id`, [repo, room])).map(toNotice);
    },
    async hasHeld(repo, room) {
      return !!(await one(db, `SELECT 1 AS x FROM ${t.notices} WHERE status = 'held' AND repo = ? AND room = ? LIMIT 1`, [repo, room]));
    },
    // Not derived: a digest lost to a power cut could be released again with other members (and so
    // another txnId) after it was sent.
    releaseHeld: (memberIds, digest, single, opens) =>
      db.tx(async (x) => {
        const released = async () => {
          if (single) {
            return (await x.run(`UPDATE ${t.notices} SET status = 'pending', hold_until = NULL, content = ?, item = '{}' WHERE id = ? AND status = 'held'`, [single.content, single.id])) === 1;
          }
          if (!digest) return false;
          // Every member still held, or nothing: the digest's text was rendered from exactly these.
          const held = await one(x, `SELECT COUNT(*) AS n FROM ${t.notices} WHERE status = 'held' AND id IN (${memberIds.map(() => '?').join(', ')})`, memberIds);
          if (Number(held?.n) !== memberIds.length) return false;
          const id = await add(x, digest);
          // The digest's content is rendered: the members' items are no longer needed.
          for (const m of memberIds) await x.run(`UPDATE ${t.notices} SET status = 'merged', digest_id = ?, item = '{}' WHERE id = ? AND status = 'held'`, [id, m]);
          return true;
        };
        const ok = await released();
        // The release opens the next window, with it.
        if (ok && opens) (await recordWindow(x, opens.repo, opens.room, opens.window), opens.recorded?.());
        return ok;
      }),
    mergeHeld: (memberIds, intoTxnId) =>
      db.tx(async (x) => {
        for (const m of memberIds)
          await x.run(`UPDATE ${t.notices} SET status = 'merged', digest_id = (SELECT id FROM ${t.notices} WHERE txn_id = ?), item = '{}' WHERE id = ? AND status = 'held'`, [intoTxnId, m]);
      }),
    retryFailed: (runId, now) =>
      db.tx(async (x) => {
        const ids = (await x.all(
          `SELECT DISTINCT CASE WHEN n.status = 'merged' THEN d.id ELSE n.id END AS id FROM ${t.notices} n LEFT JOIN ${t.notices} d ON d.id = n.digest_id
           WHERE n.run_id = ? AND (n.status = 'failed' OR (n.status = 'merged' AND d.status = 'failed'))`, [runId])).map((r) => Number(r.id));
        const log = sqlRunLog(x);
        for (const id of ids) {
          await x.run(`UPDATE ${t.notices} SET status = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = ?, last_error = NULL WHERE id = ?`, [now, id]);
          await log.setError(await runsOfNotice(x, id), null, true);
        }
        return ids.length;
      }),
    async noticesOfRun(runId) {
      return (await db.all(`SELECT * FROM ${t.notices} WHERE run_id = ? OR id IN (SELECT digest_id FROM ${t.notices} WHERE run_id = ? AND digest_id IS NOT NULL) ORDER BY id`, [runId, runId])).map(toNotice);
    },
    async queueDepth() {
      const out: Record<string, number> = {};
      // One query per partial index, so neither scans the table.
      const pending = await db.all(`SELECT dest_kind, room, COUNT(*) AS n FROM ${t.notices} WHERE status = 'pending' GROUP BY dest_kind, room`);
      const held = await db.all(`SELECT dest_kind, room, COUNT(*) AS n FROM ${t.notices} WHERE status = 'held' GROUP BY dest_kind, room`);
      for (const r of [...pending, ...held]) {
        const k = destKey(destFromColumns(r.dest_kind, r.room));
        out[k] = (out[k] ?? 0) + Number(r.n);
      }
      return out;
    },
  };
}
