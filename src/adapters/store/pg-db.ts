// SqlDb on PostgreSQL (pg). Transactions take one pooled client; `?` placeholders become $1..$n.
import pg from 'pg';
import type { Param, Row, SqlDb } from './db.ts';

export function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

function onClient(q: (sql: string, p: Param[]) => Promise<pg.QueryResult>): Omit<SqlDb, 'tx' | 'close'> {
  return {
    dialect: 'postgres',
    all: async (sql, p = []) => (await q(numbered(sql), p)).rows as Row[],
    run: async (sql, p = []) => (await q(numbered(sql), p)).rowCount ?? 0,
  };
}

export interface PgOptions {
  /** A server that accepts TCP but never answers fails the connect after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Any statement (server-side statement_timeout, and client-side for a server that stops answering; default 30 s). */
  statementTimeoutMs?: number;
}

export const PG_CONNECT_TIMEOUT_MS = 10_000;
export const PG_STATEMENT_TIMEOUT_MS = 30_000;

export function pgClientOptions(url: string, o: PgOptions = {}): pg.ClientConfig {
  const statement = o.statementTimeoutMs ?? PG_STATEMENT_TIMEOUT_MS;
  return { connectionString: url, connectionTimeoutMillis: o.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS, statement_timeout: statement, query_timeout: statement + 1000 };
}

/** The URL without credentials, for errors and logs. */
export function pgWhere(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.host}${u.pathname}`;
  } catch {
    return 'postgres://…';
  }
}

export function openPgDb(url: string, opts: PgOptions = {}): SqlDb {
  const pool = new pg.Pool({ ...pgClientOptions(url, opts), max: 8 });
  pool.on('error', () => undefined); // idle client errors surface on the next query
  const base = onClient((sql, p) => pool.query(sql, p as unknown[]));
  return {
    ...base,
    async tx(fn) {
      const client = await pool.connect();
      let depth = 0;
      const inner: SqlDb = {
        ...onClient((sql, p) => client.query(sql, p as unknown[])),
        // A nested tx is a savepoint: it fails alone without aborting the outer transaction.
        async tx(f) {
          const name = `nested_${++depth}`;
          await client.query(`SAVEPOINT ${name}`);
          try {
            const r = await f(inner);
            await client.query(`RELEASE SAVEPOINT ${name}`);
            return r;
          } catch (e) {
            await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
            throw e;
          } finally {
            depth--;
          }
        },
        close: async () => undefined,
      };
      try {
        await client.query('BEGIN');
        const r = await fn(inner);
        await client.query('COMMIT');
        return r;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
