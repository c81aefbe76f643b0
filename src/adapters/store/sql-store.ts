// The records ports over one SqlDb (SQLite or PostgreSQL), with migrations and batching.
import { migrations, tableNames } from './schema-sql.ts';
import { one, type SqlDb } from './db.ts';
import { sqlInbox } from './sql-inbox.ts';
import { sqlOutbox } from './sql-outbox.ts';
import { sqlHeads } from './sql-heads.ts';
import { sqlRunLog } from './sql-runlog.ts';
import { sqlWindows } from './sql-windows.ts';
import type { Store } from './types.ts';

/** The records database was migrated by a newer version: running on it could corrupt what that version wrote. */
export class SchemaTooNewError extends Error {
  readonly found: number;
  readonly known: number;
  constructor(found: number, known: number) {
    super(`records database is at schema ${found}, this version knows ${known}: run the newer version (or restore a backup made for this one)`);
    this.name = 'SchemaTooNewError';
    this.found = found;
    this.known = known;
  }
}

async function migrate(db: SqlDb): Promise<void> {
  const t = tableNames(db.dialect);
  await db.tx(async (x) => {
    if (x.dialect === 'postgres') await x.run('SELECT pg_advisory_xact_lock(7400451)');
    await x.run(`CREATE TABLE IF NOT EXISTS ${t.meta} (version INTEGER NOT NULL)`);
    const done = Number((await one(x, `SELECT MAX(version) AS v FROM ${t.meta}`))?.v ?? 0);
    const all = migrations(x.dialect);
    if (done > all.length) throw new SchemaTooNewError(done, all.length);
    for (let i = done; i < all.length; i++) {
      for (const s of all[i]!) await x.run(s);
      await x.run(`INSERT INTO ${t.meta} (version) VALUES (?)`, [i + 1]);
    }
  });
}

export function createSqlStore(db: SqlDb): Store {
  // The ports' write helpers come along in the spread; the Store type shows only the ports.
  return {
    dialect: db.dialect,
    ...sqlInbox(db),
    ...sqlOutbox(db),
    ...sqlHeads(db),
    ...sqlRunLog(db),
    ...sqlWindows(db),
    // Not derived: a processed delivery's notice may be sent at once (once its commit is durable, see
    // SqlDb.durable), and the batch's answers are what callers act on.
    batch: (fn) => db.tx((x) => fn(createSqlStore(x))),
    migrate: () => migrate(db),
    ping: () => db.tx(async () => undefined),
    close: () => db.close(),
  };
}
