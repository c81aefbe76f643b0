// The records schema on SQLite and PostgreSQL: migrations run once, and a database migrated by a
// newer version is refused.
import { expect, it } from 'vitest';
import { delivery, onEachBackend } from './backends.ts';
import { openStore } from '../../../src/adapters/store/open.ts';
import { migrations } from '../../../src/adapters/store/schema-sql.ts';
import { openPgDb } from '../../../src/adapters/store/pg-db.ts';
import { openSqliteDb } from '../../../src/adapters/store/sqlite-db.ts';

onEachBackend('Records schema', (t) => {
  it('migrations run once and are safe to repeat', async () => {
    await t.store.migrate();
    const again = await t.env.open();
    t.opened.push(again);
    expect(await again.insertDelivery(delivery('m1'))).toMatchObject({ inserted: true });
  });

  it('refuses a records database at a newer schema version than this code knows', async () => {
    const newer = migrations(t.name === 'postgres' ? 'postgres' : 'sqlite').length + 1;
    await t.store.close();
    t.opened.length = 0;
    const raw = t.name === 'postgres' ? openPgDb(t.env.url) : openSqliteDb(t.env.url.slice('sqlite:'.length));
    await raw.run(`INSERT INTO monitor_schema (version) VALUES (?)`, [newer]);
    await raw.close();
    await expect(t.env.open()).rejects.toThrow(`records database is at schema ${newer}, this version knows ${newer - 1}`);
    t.store = await openStore('sqlite::memory:'); // for the next beforeEach
    t.opened.push(t.store);
  });
});
