// A records database in a temporary folder for one test, removed (and closed) when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteDb, type SqliteDb, type SqliteOptions } from '../../src/adapters/store/sqlite-db.ts';

type OnFinished = (fn: () => void | Promise<void>) => void;

/** The path of a database file that does not exist yet, in a folder removed after the test. */
export function tempSqlitePath(onTestFinished: OnFinished): string {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-sqlite-'));
  onTestFinished(() => void rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'm.db');
}

/** A database opened at a fresh path; closed, then removed, after the test. */
export function openTempSqlite(onTestFinished: OnFinished, opts: SqliteOptions = {}): { path: string; db: SqliteDb } {
  const path = tempSqlitePath(onTestFinished);
  const db = openSqliteDb(path, opts);
  onTestFinished(() => db.close());
  return { path, db };
}
