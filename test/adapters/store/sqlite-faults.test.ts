// SQLite faults: another writer holding the lock (issue 10 item 5) — the batch waiting for it is
// refused with StoreUnavailableError without blocking the event loop or crashing the process, the
// flusher goes on, and nothing acknowledged before is lost; the data folder deleted at run time
// (item 12) — nothing is acknowledged into a file that is gone.
import { afterEach, expect, it } from 'vitest';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteDb, StoreUnavailableError } from '../../../src/adapters/store/sqlite-db.ts';
import { createSqlStore } from '../../../src/adapters/store/sql-store.ts';
import type { Store } from '../../../src/adapters/store/types.ts';

let store: Store | null = null;
afterEach(async () => {
  await store?.close();
  store = null;
});
const delivery = (id: string) => ({ deliveryId: id, runId: 'run_' + id, bodySha256: 'sha-' + id, event: 'push', repo: 'dataforge/api', body: '{}', receivedAt: 1000, calls: [] });

it('a batch that cannot get the write lock is refused, the event loop keeps running, and the next batch works', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'grm-lock-')), 'm.db');
  store = createSqlStore(openSqliteDb(file, { lockTimeoutMs: 300 }));
  await store.migrate();
  expect(await store.insertDelivery(delivery('before'))).toMatchObject({ inserted: true });
  const other = new DatabaseSync(file);
  other.exec('BEGIN IMMEDIATE');
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 5);
  const refused = await store.insertDelivery(delivery('during')).catch((e: unknown) => e);
  clearInterval(ticker);
  expect(refused).toBeInstanceOf(StoreUnavailableError);
  expect(String(refused)).toMatch(/locked by another writer/);
  expect(ticks).toBeGreaterThan(0);
  other.exec('COMMIT');
  other.close();
  expect(await store.insertDelivery(delivery('after'))).toMatchObject({ inserted: true });
  expect((await store.pendingDeliveries(10)).map((d) => d.deliveryId)).toEqual(['before', 'after']);
});

it('the data folder deleted or the file replaced at run time: every write is refused, never committed into a file that is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grm-gone-'));
  const file = join(dir, 'data', 'm.db');
  store = createSqlStore(openSqliteDb(file));
  await store.migrate();
  expect(await store.insertDelivery(delivery('before'))).toMatchObject({ inserted: true });
  rmSync(join(dir, 'data'), { recursive: true });
  await expect(store.insertDelivery(delivery('after'))).rejects.toThrow(/records database file .* was deleted while open/);
  await expect(store.queueDepth()).rejects.toBeInstanceOf(StoreUnavailableError);

  const other = join(mkdtempSync(join(tmpdir(), 'grm-gone-')), 'm.db');
  const second = createSqlStore(openSqliteDb(other));
  await second.migrate();
  renameSync(other, other + '.old');
  const fresh = createSqlStore(openSqliteDb(other));
  await fresh.migrate();
  await fresh.close();
  await expect(second.insertDelivery(delivery('x'))).rejects.toThrow(/was replaced while open/);
  await second.close();
});

it('the daemon\'s SQLite store runs on its own thread; a call after the thread is gone is refused, not hung', async () => {
  const { openSqliteThreadStore } = await import('../../../src/adapters/store/sqlite-thread.ts');
  const { threadId } = await import('node:worker_threads');
  const file = join(mkdtempSync(join(tmpdir(), 'grm-thread-')), 'm.db');
  const threaded = openSqliteThreadStore(file);
  await threaded.migrate();
  expect(threaded.threadId).not.toBe(threadId);
  expect(await threaded.insertDelivery(delivery('t1'))).toMatchObject({ inserted: true });
  await threaded.close();
  await expect(threaded.insertDelivery(delivery('t2'))).rejects.toBeInstanceOf(StoreUnavailableError);
});
