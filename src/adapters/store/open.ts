// runs.database -> the Store: `sqlite:/path`, `sqlite::memory:` or `postgres://…`; migrated on open.
import { openSqliteDb } from './sqlite-db.ts';
import { openPgDb } from './pg-db.ts';
import { createSqlStore } from './sql-store.ts';
import type { Store } from './types.ts';

export async function openStore(database: string): Promise<Store> {
  let store: Store;
  if (database.startsWith('sqlite:')) store = createSqlStore(openSqliteDb(database.slice('sqlite:'.length)));
  else if (/^postgres(ql)?:\/\//.test(database)) store = createSqlStore(openPgDb(database));
  else throw new Error(`runs.database must be sqlite:PATH or postgres://… (got "${database.split(':')[0]}:…")`);
  await store.migrate();
  return store;
}
