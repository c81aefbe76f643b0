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
  windows: string;
  meta: string;
}

export function tableNames(d: Dialect): TableNames {
  const pg = d === 'postgres';
  return {
    deliveries: 'monitor_deliveries',
    notices: 'monitor_notices',
    heads: 'monitor_branch_heads',
    windows: 'monitor_windows',
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
    // 5: node ids across owners: see nodeOwnerMigration.
    nodeOwnerMigration(d),
    // 6: fewer index entries per notice (issue 13): each index holds only the rows its queries ask
    // for — pending rows by destination (the sender), held rows by repo and room (the rate limit,
    // digest release), digest members — and the room index the destination index superseded goes.
    [
      'DROP INDEX IF EXISTS monitor_notices_room',
      'DROP INDEX IF EXISTS monitor_notices_held',
      'DROP INDEX IF EXISTS monitor_notices_repo_room',
      'DROP INDEX IF EXISTS monitor_notices_dest',
      'DROP INDEX IF EXISTS monitor_notices_digest',
      `CREATE INDEX monitor_notices_pending ON ${t.notices} (dest_kind, room, id) WHERE status = 'pending'`,
      `CREATE INDEX monitor_notices_held ON ${t.notices} (repo, room, id) WHERE status = 'held'`,
      `CREATE INDEX monitor_notices_digest ON ${t.notices} (digest_id) WHERE digest_id IS NOT NULL`,
    ],
    // 7: rate-limit windows move from the state storage (a file write per delivery, apart from the
    // transaction that decided it) into the records, written in the transaction that decides them.
    // Windows kept in the state storage before are not carried over: a window lasts a minute or an
    // hour, and a lost one costs at most one notice sent instead of held.
    [`CREATE TABLE ${t.windows} (repo TEXT NOT NULL, room TEXT NOT NULL, until_at ${int} NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (repo, room))`],
    // 8: a run's delivery id is no key of its own (issue 13). The run id is derived from it, so the
    // run's primary key already refuses a second run of a delivery (and the deliveries' own key a
    // second delivery); nothing looks runs up by it. Its unique index was one more random page in
    // every commit (Gitea's delivery ids are UUIDs).
    runsWithoutDeliveryKey(d),
  ];
}

/** SQLite cannot drop a column's UNIQUE: the table is rebuilt (same columns, same node index). */
export function runsWithoutDeliveryKey(d: Dialect): string[] {
  const t = tableNames(d);
  if (d === 'postgres') return [`ALTER TABLE ${t.runs} DROP CONSTRAINT IF EXISTS runs_delivery_id_key`];
  const cols = 'run_id, node_id, repo, trigger, status, event, ref, before_sha, after_sha, commits, delivery_id, received_at, notified_at, summary, error';
  return [
    `CREATE TABLE ${t.runs}_next (
        run_id TEXT PRIMARY KEY, node_id TEXT NOT NULL, repo TEXT NOT NULL, trigger TEXT NOT NULL,
        status TEXT NOT NULL, event TEXT NOT NULL, ref TEXT, before_sha TEXT, after_sha TEXT,
        commits INTEGER NOT NULL DEFAULT 0, delivery_id TEXT NOT NULL, received_at INTEGER NOT NULL,
        notified_at INTEGER, summary TEXT, error TEXT)`,
    `INSERT INTO ${t.runs}_next (${cols}) SELECT ${cols} FROM ${t.runs}`,
    `DROP TABLE ${t.runs}`,
    `ALTER TABLE ${t.runs}_next RENAME TO ${t.runs}`,
    `CREATE INDEX data_factory_runs_node ON ${t.runs} (node_id, received_at)`,
  ];
}

/**
 * Node ids used to drop the owner, so dataforge/api and otherorg/api shared `gitea_push_api`. Each
 * shared node goes back to the repository of its oldest run (the first owner seen keeps the short
 * id, as src/records/node-id.ts decides from now on); the other repositories get
 * `gitea_push_<owner>__<name>` with their runs, and every node's last run is recomputed.
 */
export function nodeOwnerMigration(d: Dialect): string[] {
  const t = tableNames(d);
  const pg = d === 'postgres';
  // PostgreSQL needs an alias to name the updated row in a subquery; SQLite names the table.
  const nodes = pg ? `${t.nodes} AS self` : t.nodes;
  const self = pg ? 'self' : t.nodes;
  const runsSelf = pg ? `${t.runs} AS self` : t.runs;
  const owner = (x: string) => (pg ? `split_part(${x}, '/', 1)` : `substr(${x}, 1, instr(${x}, '/') - 1)`);
  const name = (x: string) => (pg ? `substr(${x}, strpos(${x}, '/') + 1)` : `substr(${x}, instr(${x}, '/') + 1)`);
  const shared = (node: string) => `EXISTS (SELECT 1 FROM ${t.runs} r WHERE r.node_id = ${node}.node_id AND LOWER(r.repo) <> LOWER(${node}.repo))`;
  return [
    `UPDATE ${nodes} SET repo = (SELECT r.repo FROM ${t.runs} r WHERE r.node_id = ${self}.node_id ORDER BY r.received_at, r.run_id LIMIT 1) WHERE ${shared(self)}`,
    `INSERT INTO ${t.nodes} (node_id, repo, kind, last_run_at, last_status, created_at)
     SELECT '${'gitea_push_'}' || ${owner('MIN(r.repo)')} || '__' || ${name('MIN(r.repo)')}, MIN(r.repo), 'extractor', MAX(r.received_at), NULL, MIN(r.received_at)
     FROM ${t.runs} r JOIN ${t.nodes} n ON n.node_id = r.node_id WHERE LOWER(r.repo) <> LOWER(n.repo) GROUP BY LOWER(r.repo)
     ON CONFLICT (node_id) DO NOTHING`,
    `UPDATE ${runsSelf} SET node_id = (SELECT n2.node_id FROM ${t.nodes} n2 WHERE LOWER(n2.repo) = LOWER(${pg ? 'self' : t.runs}.repo) ORDER BY n2.created_at, n2.node_id LIMIT 1)
     WHERE EXISTS (SELECT 1 FROM ${t.nodes} n WHERE n.node_id = ${pg ? 'self' : t.runs}.node_id AND LOWER(n.repo) <> LOWER(${pg ? 'self' : t.runs}.repo))`,
    `UPDATE ${nodes} SET last_run_at = (SELECT MAX(r.received_at) FROM ${t.runs} r WHERE r.node_id = ${self}.node_id),
       last_status = (SELECT r.status FROM ${t.runs} r WHERE r.node_id = ${self}.node_id ORDER BY r.received_at DESC, r.run_id DESC LIMIT 1)
     WHERE EXISTS (SELECT 1 FROM ${t.runs} r WHERE r.node_id = ${self}.node_id)`,
  ];
}
