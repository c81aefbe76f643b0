// runs.database -> the Store: `sqlite:/path`, `sqlite::memory:` or `postgres://…`; migrated on open.
// The daemon opens SQLite on its storage thread; the CLI opens it in-process.
import { openSqliteDb } from './sqlite-db.ts';
import { openSqliteThreadStore } from './sqlite-thread.ts';
import type { PgOptions } from './pg-db.ts';
import { createSqlStore, SchemaTooNewError } from './sql-store.ts';
import type { Store } from './types.ts';

export interface OpenOptions extends PgOptions {
  /** SQLite only: run the connection (group commit, fsync) on its own storage thread (the daemon does). */
  thread?: boolean;
}

export async function openStore(database: string, opts: OpenOptions = {}): Promise<Store> {
  let store: Store;
  const pg = /^postgres(ql)?:\/\//.test(database);
  // pg (~20 ms to load) only when the records are in PostgreSQL.
  const pgDb = pg ? await import('./pg-db.ts') : null;
  if (database.startsWith('sqlite:')) {
    const path = database.slice('sqlite:'.length);
    store = opts.thread ? openSqliteThreadStore(path) : createSqlStore(openSqliteDb(path));
  } else if (pgDb) store = createSqlStore(pgDb.openPgDb(database, opts));
  else throw new Error(`runs.database must be sqlite:PATH or postgres://… (got "${database.split(':')[0]}:…")`);
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    if (!pg || e instanceof SchemaTooNewError) throw e;
    const s = (opts.connectTimeoutMs ?? pgDb!.PG_CONNECT_TIMEOUT_MS) / 1000;
    throw new Error(`runs.database ${pgDb!.pgWhere(database)} cannot be opened (connect timeout ${s} s): ${(e as Error).message}`, { cause: e });
  }
  return store;
}
