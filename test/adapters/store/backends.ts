// The two backends every records port contract runs on: SQLite (node:sqlite, a temp file) and
// PostgreSQL (a throw-away database on the real server), a fresh database per test.
import { afterAll, beforeEach, describe } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/adapters/store/open.ts';
import type { NewNotice, RunRecord, Store } from '../../../src/adapters/store/types.ts';
import { createTempDatabase } from '../../helpers/pg.ts';
import { toRoom } from '../../../src/adapters/store/destination.ts';
export { toRoom, toTrigger } from '../../../src/adapters/store/destination.ts';

export const delivery = (id: string, body = `{"id":"${id}"}`) => ({ deliveryId: id, runId: 'run_' + id, bodySha256: 'sha-' + body, event: 'push', repo: 'dataforge/api', body, receivedAt: 1000, calls: [{ step: 'receive', startedAt: 1000, durationMs: 1, outcome: 'ok' }] });
export const run = (deliveryId: string, status: RunRecord['status'] = 'queued'): RunRecord => ({
  runId: 'run_' + deliveryId, nodeId: 'gitea_push_api', repo: 'dataforge/api', trigger: 'webhook', status, event: 'push', ref: 'refs/heads/main',
  before: 'a', after: 'b', commits: 3, deliveryId, receivedAt: 1000, notifiedAt: null, summary: 's', error: null,
});
export const notice = (deliveryId: string, room = 'news', status: 'pending' | 'held' = 'pending'): NewNotice => ({
  runId: 'run_' + deliveryId, deliveryId, repo: 'dataforge/api', dest: toRoom(room), kind: 'notice', status, holdUntil: status === 'held' ? 5000 : null,
  txnId: `txn-${deliveryId}-${room}`, item: '{}', content: status === 'pending' ? '{"body":"x"}' : null, createdAt: 1000,
});

interface Env {
  url: string;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

const backends: Array<[string, () => Promise<Env>]> = [
  ['sqlite', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'grm-store-')), 'm.db');
    return { url: `sqlite:${file}`, open: () => openStore(`sqlite:${file}`), drop: async () => undefined };
  }],
  ['sqlite on its storage thread', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'grm-store-')), 'm.db');
    return { url: `sqlite:${file}`, open: () => openStore(`sqlite:${file}`, { thread: true }), drop: async () => undefined };
  }],
  ['postgres', async () => {
    const db = await createTempDatabase();
    return { url: db.url, open: () => openStore(db.url), drop: db.drop };
  }],
];

export interface Backend {
  name: string;
  /** A fresh, migrated database for each test. */
  store: Store;
  env: Env;
  /** Stores to close after the test. */
  opened: Store[];
}

export function onEachBackend(port: string, body: (t: Backend) => void): void {
  describe.each(backends)(`${port} on %s`, (name, backend) => {
    const t = { name, opened: [] } as unknown as Backend;
    beforeEach(async () => {
      for (const s of t.opened.splice(0)) await s.close();
      if (t.env) await t.env.drop();
      t.env = await backend();
      t.store = await t.env.open();
      t.opened.push(t.store);
    });
    afterAll(async () => {
      for (const s of t.opened) await s.close();
      await t.env?.drop();
    });
    body(t);
  });
}
