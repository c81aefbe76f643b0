// SqlDb on node:sqlite. One connection; statements and transactions are serialised through one
// promise chain, so an `await` inside a transaction cannot let another statement slip into it.
// WAL + synchronous=FULL: a committed delivery (and so a 202) survives a crash or power loss.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Param, Row, SqlDb } from './db.ts';

export function openSqliteDb(path: string): SqlDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  const cache = new Map<string, StatementSync>();
  const prep = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const direct: SqlDb = {
    dialect: 'sqlite',
    all: async (sql, p = []) => prep(sql).all(...(p as Param[])) as Row[],
    run: async (sql, p = []) => Number(prep(sql).run(...(p as Param[])).changes),
    tx: (fn) => fn(direct),
    close: async () => db.close(),
  };
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    dialect: 'sqlite',
    all: (sql, p) => serial(() => direct.all(sql, p)),
    run: (sql, p) => serial(() => direct.run(sql, p)),
    tx: (fn) =>
      serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const r = await fn(direct);
          db.exec('COMMIT');
          return r;
        } catch (e) {
          db.exec('ROLLBACK');
          throw e;
        }
      }),
    close: () => serial(async () => db.close()),
  };
}
