// Awaitable "nothing else will be sent": the records of a daemon running in another process hold
// no delivery still to process and no notice pending or held (a digest waiting counts as held).
// Read straight from its database (SQLite read-only, or PostgreSQL), polled until it is so.
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { expect } from 'vitest';

const COUNTS = `SELECT (SELECT COUNT(*) FROM monitor_deliveries WHERE status = 'pending') AS deliveries,
  (SELECT COUNT(*) FROM monitor_notices WHERE status IN ('pending', 'held')) AS notices`;

async function outstanding(database: string): Promise<number> {
  if (database.startsWith('postgres')) {
    const c = new pg.Client({ connectionString: database });
    await c.connect();
    try {
      const r = (await c.query(COUNTS)).rows[0] as { deliveries: string; notices: string };
      return Number(r.deliveries) + Number(r.notices);
    } finally {
      await c.end();
    }
  }
  const db = new DatabaseSync(database, { readOnly: true });
  try {
    const r = db.prepare(COUNTS).get() as { deliveries: number; notices: number };
    return Number(r.deliveries) + Number(r.notices);
  } finally {
    db.close();
  }
}

/** Resolves once `database` (a postgres:// URL or a SQLite file path) has nothing left to process or send. */
export async function recordsSettled(database: string, timeoutMs = 5000): Promise<void> {
  await expect.poll(() => outstanding(database), { timeout: timeoutMs, interval: 25 }).toBe(0);
}
