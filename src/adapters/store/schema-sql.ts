// Versioned migrations, one list for both dialects. SQLite has no schemas, so the records tables
// are data_factory_nodes / data_factory_runs / call_monitor_calls there and data_factory.nodes /
// data_factory.runs / call_monitor.calls in PostgreSQL.
export type Dialect = 'sqlite' | 'postgres';

export interface TableNames {
  deliveries: string;
  notices: string;
  nodes: string;
  runs: string;
  calls: string;
  heads: string;
  meta: string;
}

export function tableNames(d: Dialect): TableNames {
  const pg = d === 'postgres';
  return {
    deliveries: 'monitor_deliveries',
    notices: 'monitor_notices',
    heads: 'monitor_branch_heads',
    meta: 'monitor_schema',
    nodes: pg ? 'data_factory.nodes' : 'data_factory_nodes',
    runs: pg ? 'data_factory.runs' : 'data_factory_runs',
    calls: pg ? 'call_monitor.calls' : 'call_monitor_calls',
  };
}

export function migrations(d: Dialect): string[][] {
  const t = tableNames(d);
  const serial = d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const int = d === 'postgres' ? 'BIGINT' : 'INTEGER';
  return [
    [
      ...(d === 'postgres' ? ['CREATE SCHEMA IF NOT EXISTS data_factory', 'CREATE SCHEMA IF NOT EXISTS call_monitor'] : []),
      `CREATE TABLE ${t.deliveries} (
        seq ${serial}, delivery_id TEXT NOT NULL UNIQUE, body_sha256 TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL, repo TEXT NOT NULL, body TEXT, received_at ${int} NOT NULL,
        status TEXT NOT NULL, processed_at ${int})`,
      `CREATE INDEX monitor_deliveries_pending ON ${t.deliveries} (status, seq)`,
      `CREATE INDEX monitor_deliveries_received ON ${t.deliveries} (received_at)`,
      `CREATE TABLE ${t.nodes} (
        node_id TEXT PRIMARY KEY, repo TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'extractor',
        last_run_at ${int}, last_status TEXT, created_at ${int} NOT NULL)`,
      `CREATE TABLE ${t.runs} (
        run_id TEXT PRIMARY KEY, node_id TEXT NOT NULL, repo TEXT NOT NULL, trigger TEXT NOT NULL,
        status TEXT NOT NULL, event TEXT NOT NULL, ref TEXT, before_sha TEXT, after_sha TEXT,
        commits INTEGER NOT NULL DEFAULT 0, delivery_id TEXT NOT NULL UNIQUE, received_at ${int} NOT NULL,
        notified_at ${int}, summary TEXT, error TEXT)`,
      `CREATE INDEX data_factory_runs_node ON ${t.runs} (node_id, received_at)`,
      `CREATE TABLE ${t.calls} (
        id ${serial}, delivery_id TEXT NOT NULL, run_id TEXT, step TEXT NOT NULL, started_at ${int} NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL, outcome TEXT NOT NULL, detail TEXT)`,
      `CREATE INDEX call_monitor_calls_delivery ON ${t.calls} (delivery_id, id)`,
      `CREATE TABLE ${t.notices} (
        id ${serial}, run_id TEXT, delivery_id TEXT, repo TEXT NOT NULL, room TEXT NOT NULL,
        kind TEXT NOT NULL, status TEXT NOT NULL, hold_until ${int}, digest_id ${int},
        txn_id TEXT NOT NULL UNIQUE, item TEXT NOT NULL, content TEXT, created_at ${int} NOT NULL,
        sent_at ${int}, attempts INTEGER NOT NULL DEFAULT 0, first_attempt_at ${int}, next_attempt_at ${int},
        last_error TEXT, event_id TEXT)`,
      `CREATE INDEX monitor_notices_room ON ${t.notices} (room, status, id)`,
      `CREATE INDEX monitor_notices_run ON ${t.notices} (run_id)`,
      `CREATE INDEX monitor_notices_held ON ${t.notices} (status, hold_until)`,
      `CREATE INDEX monitor_notices_digest ON ${t.notices} (digest_id)`,
      `CREATE TABLE ${t.heads} (repo TEXT NOT NULL, branch TEXT NOT NULL, sha TEXT NOT NULL, updated_at ${int} NOT NULL, PRIMARY KEY (repo, branch))`,
    ],
    // 2: the rate limit asks "anything held for this repo and room?" per delivery and room.
    [`CREATE INDEX monitor_notices_repo_room ON ${t.notices} (repo, room, status, id)`],
    // 3: a delivery that keeps failing is parked (status 'failed') after a few attempts.
    [`ALTER TABLE ${t.deliveries} ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0`, `ALTER TABLE ${t.deliveries} ADD COLUMN last_error TEXT`],
    // 4: a typed destination: dest_kind ('room' | 'trigger') and its name in `room` (no more `trigger:<name>`).
    [
      `ALTER TABLE ${t.notices} ADD COLUMN dest_kind TEXT NOT NULL DEFAULT 'room'`,
      `UPDATE ${t.notices} SET dest_kind = 'trigger', room = substr(room, 9) WHERE kind = 'trigger' AND room LIKE 'trigger:%'`,
      `CREATE INDEX monitor_notices_dest ON ${t.notices} (dest_kind, room, status, id)`,
    ],
  ];
}
