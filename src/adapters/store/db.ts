// A tiny async SQL port with two drivers (node:sqlite, pg) so the store is written once.
// SQL uses `?` placeholders; the pg driver numbers them. Rows come back as plain objects.
export type Row = Record<string, unknown>;
export type Param = null | number | string | bigint;

export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: Param[]): Promise<Row[]>;
  run(sql: string, params?: Param[]): Promise<number>; // affected rows
  /** Runs fn in one transaction; nothing else touches the database in between (sqlite) or sees it half-done. */
  tx<T>(fn: (db: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function one(db: SqlDb, sql: string, params?: Param[]): Promise<Row | undefined> {
  return (await db.all(sql, params))[0];
}
