// The storage thread: owns the SQLite connection (group commit, fsync) and answers Store method
// calls posted by the main thread, so no statement or fsync runs on the thread that serves HTTP.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDb } from './sqlite-db.ts';
import { createSqlStore } from './sql-store.ts';
import type { Store } from './types.ts';

interface Call {
  id: number;
  method: keyof Store;
  args: unknown[];
}

const { path, lockTimeoutMs } = workerData as { path: string; lockTimeoutMs?: number };
const store = createSqlStore(openSqliteDb(path, { lockTimeoutMs }));
const port = parentPort!;

port.on('message', (c: Call) => {
  const fn = store[c.method] as unknown as (...a: unknown[]) => Promise<unknown>;
  void Promise.resolve()
    .then(() => fn.apply(store, c.args))
    .then(
      (value) => port.postMessage({ id: c.id, ok: true, value }),
      (e: unknown) => port.postMessage({ id: c.id, ok: false, error: { name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e), found: (e as { found?: number }).found, known: (e as { known?: number }).known } }),
    )
    .then(() => {
      if (c.method === 'close') port.close();
    });
});
