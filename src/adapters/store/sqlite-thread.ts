// SQLite on its own thread: a Store whose every method is a message to the storage thread
// (sqlite-thread-worker.ts), which owns the connection, the group commit and the fsync. A promise
// settles when the thread answers, i.e. after the COMMIT that holds the write: a 202 still means
// durably stored. Errors come back by name (StoreUnavailableError, SchemaTooNewError keep their
// class). If the thread dies, every call in flight and every later one is refused.
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError, type SqliteOptions } from './sqlite-db.ts';
import { SchemaTooNewError } from './sql-store.ts';
import type { Store } from './types.ts';
import { coalescingSender, eachMessage, type Message } from './thread-messages.ts';

type Answer = { type: 'answer'; id: number; ok: true; value: unknown } | { type: 'answer'; id: number; ok: false; error: { name: string; message: string; found?: number; known?: number } };

export interface ThreadOptions extends SqliteOptions {
  /** The thread's entry module (default: the plain storage thread) and what it is started with. */
  entry?: URL;
  data?: Record<string, unknown>;
  /** Messages from the thread that are not answers (a processing thread's events). */
  onEvent?: (msg: { type: string } & Record<string, unknown>) => void;
}

export interface ThreadStore extends Store {
  threadId: number;
  /** A call the thread serves beyond the Store's methods. */
  call(method: string, args: unknown[]): Promise<unknown>;
  post(msg: { type: string } & Record<string, unknown>): void;
  /** The thread's V8 heap (used and total bytes); null once it is gone. */
  heap(): Promise<{ used: number; total: number } | null>;
}

const METHODS = [
  'migrate', 'ping', 'insertDelivery', 'pendingDeliveries', 'commitProcessed', 'deliveryFailed', 'pruneDeliveries',
  'pendingDestinations', 'headNotice', 'headNotices', 'markAttempt', 'markSent', 'markFailed', 'heldGroupsDue', 'heldOf', 'hasHeld', 'releaseHeld',
  'retryFailed', 'mergeHeld', 'noticesOfRun', 'queueDepth', 'heads', 'reposWithHeads', 'setHead', 'setHeads', 'listNodes', 'nodesNamed', 'listRuns', 'getRun', 'callsOf', 'windowOf',
] as const satisfies ReadonlyArray<keyof Store>;

function revive(e: Extract<Answer, { ok: false }>['error']): Error {
  if (e.name === 'SchemaTooNewError') return new SchemaTooNewError(e.found ?? 0, e.known ?? 0);
  if (e.name === 'StoreUnavailableError') return new StoreUnavailableError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

const workerFile = new URL(import.meta.url.endsWith('.ts') ? './sqlite-thread-worker.ts' : './sqlite-thread-worker.js', import.meta.url);

export function openSqliteThreadStore(path: string, opts: ThreadOptions = {}): ThreadStore {
  const worker = new Worker(opts.entry ?? workerFile, { workerData: { role: 'store', ...opts.data, path, lockTimeoutMs: opts.lockTimeoutMs } });
  worker.unref();
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const fail = (e: Error) => {
    dead ??= e;
    for (const w of waiting.values()) w.reject(dead);
    waiting.clear();
  };
  worker.on('message', (posted: Message) =>
    eachMessage(posted, (a) => {
      if (a.type !== 'answer') return opts.onEvent?.(a);
      const ans = a as unknown as Answer;
      const w = waiting.get(ans.id);
      if (!w) return;
      waiting.delete(ans.id);
      if (ans.ok) w.resolve(ans.value);
      else w.reject(revive(ans.error));
    }),
  );
  // Calls and posts made during one turn go together (thread-messages.ts).
  const out = coalescingSender(worker);
  worker.on('error', (e) => fail(new StoreUnavailableError(`the storage thread failed: ${e.message}`, { cause: e })));
  worker.on('exit', (code) => fail(new StoreUnavailableError(`the storage thread exited (code ${code})`)));
  const call = (method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (dead) return reject(dead);
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      // Keep the process alive while a call is in flight (the thread itself is unref'd).
      worker.ref();
      out.post({ type: 'call', id, method, args });
    }).finally(() => {
      if (!waiting.size) worker.unref();
    });
  const store = Object.fromEntries(METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as Store;
  return Object.assign(store, {
    dialect: 'sqlite' as const,
    threadId: worker.threadId,
    call,
    post: (msg: { type: string } & Record<string, unknown>) => void (dead ? undefined : out.post(msg)),
    async heap() {
      if (dead) return null;
      const h = await worker.getHeapStatistics();
      return { used: h.used_heap_size, total: h.total_heap_size };
    },
    // Each call is atomic in the thread, and calls queued together share one COMMIT there; a
    // function cannot cross threads, so a batch is the calls it makes.
    batch: <T>(fn: (s: Store) => Promise<T>) => fn(store),
    async close(): Promise<void> {
      if (dead) return;
      await call('close', []);
      await new Promise<void>((r) => (dead ? r() : worker.once('exit', () => r())));
    },
  });
}
