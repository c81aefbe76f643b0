// The storage thread's side of the Store calls: owns the SQLite connection (group commit, fsync)
// and answers Store method calls posted by the main thread, so no statement or fsync runs on the
// thread that serves HTTP. Run as its own entry (role 'store'), or hosted by a thread that also
// processes (src/runtime/processing-thread.ts) with extra calls of its own.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openSqliteDb } from './sqlite-db.ts';
import { createSqlStore } from './sql-store.ts';
import type { Store } from './types.ts';
import { coalescingSender, eachMessage, type Message, type Sender } from './thread-messages.ts';

export interface Call {
  type: 'call';
  id: number;
  method: string;
  args: unknown[];
}

export interface ServeOptions {
  /** Calls beyond the Store's methods (e.g. `idle` of a processing worker). */
  extra?: Record<string, (...args: unknown[]) => Promise<unknown>>;
  /** After a Store method answered. */
  after?: (method: string, value: unknown) => void;
  /** Messages that are not calls. */
  other?: (msg: { type: string } & Record<string, unknown>) => void;
  /** What answers go through: the thread's own events share it, so they keep their order. */
  sender?: Sender;
}

const errorOf = (e: unknown) => ({ name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e), found: (e as { found?: number })?.found, known: (e as { known?: number })?.known });

export function serveStoreCalls(store: Store, port: MessagePort, o: ServeOptions = {}): void {
  const out = o.sender ?? coalescingSender(port);
  port.on('message', (posted: Message) => eachMessage(posted, (m) => serve(m)));
  const serve = (m: Message) => {
    if (m.type !== 'call') return o.other?.(m);
    const c = m as unknown as Call;
    const fn = o.extra?.[c.method] ?? (store[c.method as keyof Store] as unknown as (...a: unknown[]) => Promise<unknown>).bind(store);
    void Promise.resolve()
      .then(() => fn(...c.args))
      .then(
        (value) => {
          out.post({ type: 'answer', id: c.id, ok: true, value });
          o.after?.(c.method, value);
        },
        (e: unknown) => out.post({ type: 'answer', id: c.id, ok: false, error: errorOf(e) }),
      )
      .then(() => {
        if (c.method === 'close') (out.flush(), port.close());
      });
  };
}

if (!isMainThread && (workerData as { role?: string })?.role === 'store') {
  const { path, lockTimeoutMs } = workerData as { path: string; lockTimeoutMs?: number };
  serveStoreCalls(createSqlStore(openSqliteDb(path, { lockTimeoutMs })), parentPort!);
}
