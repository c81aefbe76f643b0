// Rate-limit windows over SqlDb: one row per repo and room, written in the transaction that decides
// it (a processed delivery, a released digest).
import { tableNames } from './schema-sql.ts';
import { one, type SqlDb } from './db.ts';
import type { RateWindows, WindowRecord } from './types.ts';

export async function recordWindow(x: SqlDb, repo: string, room: string, w: WindowRecord): Promise<void> {
  const t = tableNames(x.dialect);
  await x.run(
    `INSERT INTO ${t.windows} (repo, room, until_at, count) VALUES (?, ?, ?, ?) ON CONFLICT (repo, room) DO UPDATE SET until_at = excluded.until_at, count = excluded.count`,
    [repo, room, w.until, w.count],
  );
}

export function sqlWindows(db: SqlDb): RateWindows {
  const t = tableNames(db.dialect);
  return {
    async windowOf(repo, room) {
      const r = await one(db, `SELECT until_at, count FROM ${t.windows} WHERE repo = ? AND room = ?`, [repo, room]);
      return r ? { until: Number(r.until_at), count: Number(r.count) } : null;
    },
  };
}
