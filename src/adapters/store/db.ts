// A tiny async SQL port with two drivers (node:sqlite, pg) so the store is written once.
// SQL uses `?` placeholders; the pg driver numbers them. Rows come back as plain objects.
export type Row = Record<string, unknown>;
export type Param = null | number | string | bigint;

export interface TxOptions {
  /** What the transaction writes is derived from durable rows and is written again if lost (a
   * processed delivery, a sent mark: same run ids, same txnIds). On SQLite such a batch commits
   * without an fsync of its own: it becomes durable with the next fsync'd commit, and only a power
   * cut before that (never a process crash) can lose it. */
  derived?: boolean;
  /** SQLite group commit: the batch this transaction joins runs the database's follow-up
   * (`SqliteDb.setFollowUp`) in the same transaction, after its jobs and before its COMMIT. A stored
   * delivery is processed in the batch that stores it: one commit and one fsync instead of two. */
  followUp?: boolean;
}

/** Work that runs at the end of a group-commit batch, inside its transaction (its own savepoint). */
export interface FollowUp<T = unknown> {
  run(x: SqlDb): Promise<T>;
  /** After the batch: `ok` with what run returned once it committed; otherwise run threw (its
   * savepoint rolled back, the rest committed) or the whole batch failed to commit. */
  settled(r: { ok: true; value: T } | { ok: false; error: unknown }): void;
}

export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: Param[]): Promise<Row[]>;
  run(sql: string, params?: Param[]): Promise<number>; // affected rows
  /** Runs fn in one transaction; nothing else touches the database in between (sqlite) or sees it half-done. */
  tx<T>(fn: (db: SqlDb) => Promise<T>, opts?: TxOptions): Promise<T>;
  close(): Promise<void>;
  /** Resolves once every commit made so far is durable (SQLite: commits are visible to reads before
   * their fsync ends). What a read leads to outside the database — a notice sent — waits for it, so
   * nothing a power cut could take back is ever announced. */
  durable?(): Promise<void>;
}

export async function one(db: SqlDb, sql: string, params?: Param[]): Promise<Row | undefined> {
  return (await db.all(sql, params))[0];
}
