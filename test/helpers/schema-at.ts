// A raw records database (SqlDb, no Store) on each backend, and its schema as an older version of
// the monitor left it: for migration tests, which write rows the way that version did.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDb } from '../../src/adapters/store/sqlite-db.ts';
import { openPgDb } from '../../src/adapters/store/pg-db.ts';
import { migrations, tableNames } from '../../src/adapters/store/schema-sql.ts';
import type { SqlDb } from '../../src/adapters/store/db.ts';
import { createTempDatabase } from './pg.ts';

export const rawBackends: Array<[string, () => Promise<{ db: SqlDb; drop(): Promise<void> }>]> = [
  ['sqlite', async () => ({ db: openSqliteDb(join(mkdtempSync(join(tmpdir(), 'grm-schema-')), 'm.db')), drop: async () => undefined })],
  ['postgres', async () => {
    const t = await createTempDatabase();
    return { db: openPgDb(t.url), drop: t.drop };
  }],
];

/** Runs migrations 1..version and records them, as that version of the monitor did. */
export async function schemaAt(db: SqlDb, version: number): Promise<void> {
  const t = tableNames(db.dialect);
  await db.run(`CREATE TABLE ${t.meta} (version INTEGER NOT NULL)`);
  for (const [i, m] of migrations(db.dialect).slice(0, version).entries()) {
    for (const sql of m) await db.run(sql);
    await db.run(`INSERT INTO ${t.meta} (version) VALUES (?)`, [i + 1]);
  }
}
