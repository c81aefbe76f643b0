// The storage-and-processing thread (SQLite): owns the connection (group commit, fsync), turns
// stored deliveries into runs and outbox rows (classify, throttle, render, record) and releases
// digests. The main thread only reads, verifies and parses requests, answers, and sends; it reaches
// the records through Store calls and hears back what to send (`processed`, `rooms`).
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDb } from '../adapters/store/sqlite-db.ts';
import { createSqlStore } from '../adapters/store/sql-store.ts';
import { serveStoreCalls } from '../adapters/store/sqlite-thread-worker.ts';
import { coalescingSender } from '../adapters/store/thread-messages.ts';
import { windowStore } from '../pipeline/windows.ts';
import { releaseDue } from '../pipeline/release.ts';
import { createLogger } from '../log.ts';
import { buildRuntime, runtimeRef } from './runtime.ts';
import { createWorker } from './worker.ts';
import { configInThread } from './thread-config.ts';

const port = parentPort!;
const { path, lockTimeoutMs, config, logs, checkpoints } = workerData as { path: string; lockTimeoutMs?: number; config: unknown; logs?: 'messages' | 'lines'; checkpoints?: 'own' | 'external' };
// Events and answers share one sender, a turn at a time, in order (a batch's `processed` before its answers).
const sender = coalescingSender(port);
const post = (msg: { type: string } & Record<string, unknown>) => sender.post(msg);
const db = openSqliteDb(path, { lockTimeoutMs, checkpoints });
const store = createSqlStore(db);
const runtime = runtimeRef(buildRuntime(configInThread(config)));
const windows = windowStore(store);
// Every line goes to the daemon's logger as a message (coalesced with the thread's other messages).
// 'lines' (`monitor serve`): formatted here at LOG_LEVEL and written there as they are; otherwise
// at debug, for the daemon's logger to parse and filter by its own level.
const logger = logs === 'lines' ? createLogger({ write: (line) => post({ type: 'log', line, raw: true }) }) : createLogger({ level: 'debug', write: (line) => post({ type: 'log', line }) });
let leading = false;
const worker = createWorker({
  runtime, store, windows, now: Date.now, logger, active: () => leading,
  onProcessed: (r) => post({ type: 'processed', repo: r.repo, pending: r.pending, holdUntil: r.holdUntil }),
  onParked: () => post({ type: 'parked' }),
});

// A delivery is processed in the batch that stores it: one commit and one fsync for both (the
// batch's follow-up); the worker's own passes drain what that leaves (a restart, a retry, a full batch).
db.setFollowUp({ run: (x) => worker.inline.run(createSqlStore(x)), settled: (r) => worker.inline.settled(r) });

serveStoreCalls(store, port, {
  sender,
  extra: {
    idle: () => worker.idle(),
    release: async (now) => releaseDue({ store, windows, runtime, logger, now: () => Number(now), onRenderFallback: () => post({ type: 'fallback' }) }),
    stopWork: async () => {
      await worker.stop();
    },
  },
  other: (m) => {
    if (m.type === 'wake') worker.wake();
    if (m.type === 'lead') {
      leading = Boolean(m.active);
      windows.forget();
      if (leading) worker.wake();
    }
    if (m.type === 'config') runtime.swap(buildRuntime(configInThread(m.config)));
  },
});
