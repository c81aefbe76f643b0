// The main thread's handle on the storage-and-processing thread (processing-thread.ts): the Store
// (every method a call into the thread), a Worker facade (wake, idle, stop), digest release, config
// swaps, and the thread's events turned back into the callbacks the daemon already has.
import type { Config } from '../config/config.ts';
import type { Logger, Level } from '../log.ts';
import type { Destination } from '../adapters/store/destination.ts';
import { openSqliteThreadStore, type ThreadStore } from '../adapters/store/sqlite-thread.ts';
import type { Worker } from './worker.ts';
import { configForThread } from './thread-config.ts';

export interface ProcessingEvents {
  onProcessed(r: { repo: string; pending: Destination[]; holdUntil: number[] }): void;
  onParked(): void;
  onRenderFallback(): void;
}

export interface ProcessingThread {
  store: ThreadStore;
  worker: Worker;
  release(now: number): Promise<string[]>;
  lead(active: boolean): void;
  swapConfig(c: Config): void;
}

const entry = new URL(import.meta.url.endsWith('.ts') ? './processing-thread-main.ts' : './processing-thread-main.js', import.meta.url);

/** A thread started before the daemon (`monitor serve` starts it as soon as the config is read, so
 * it loads its modules while the main thread loads its own); its events wait for `startProcessingThread`. */
export interface EarlyThread {
  path: string;
  store: ThreadStore;
  /** The schema migration, started with the thread. */
  migrated: Promise<void>;
  attach(logger: Logger, on: ProcessingEvents): void;
}

type Event = { type: string } & Record<string, unknown>;

/** How the thread's log lines reach the daemon's logger: 'lines' (`monitor serve`), formatted and
 * filtered at LOG_LEVEL by the thread and written by the daemon's logger as they are (Logger.raw:
 * one writer per descriptor, no parsing again); 'messages' (tests, embedders), each line parsed
 * and logged again by the daemon's logger, which applies its own level. */
export type ThreadLogs = 'messages' | 'lines';

export interface SpawnOptions {
  logs?: ThreadLogs;
  /** 'external': another thread runs the WAL's checkpoints (`monitor serve`: the main thread). */
  checkpoints?: 'own' | 'external';
}

export function spawnProcessingThread(path: string, config: Config, o: SpawnOptions = {}): EarlyThread {
  let handle: ((m: Event) => void) | null = null;
  const early: Event[] = [];
  const store = openSqliteThreadStore(path, {
    entry,
    data: { role: 'processing', config: configForThread(config), logs: o.logs ?? 'messages', checkpoints: o.checkpoints ?? 'own' },
    onEvent: (m) => (handle ? handle(m) : early.push(m)),
  });
  const migrated = store.migrate();
  migrated.catch(() => undefined); // awaited (and thrown) by startProcessingThread
  return {
    path,
    store,
    migrated,
    attach(logger, on) {
      handle = (m) => {
        if (m.type === 'processed') on.onProcessed(m as unknown as { repo: string; pending: Destination[]; holdUntil: number[] });
        else if (m.type === 'parked') on.onParked();
        else if (m.type === 'fallback') on.onRenderFallback();
        else if (m.type === 'log') {
          if (m.raw && logger.raw) return logger.raw(String(m.line));
          const { level, msg, time: _t, ...fields } = JSON.parse(String(m.line)) as { level: Level; msg: string; time: string } & Record<string, unknown>;
          logger[level](msg, fields);
        }
      };
      early.splice(0).forEach(handle);
    },
  };
}

export async function startProcessingThread(path: string, config: Config, logger: Logger, on: ProcessingEvents, started?: EarlyThread): Promise<ProcessingThread> {
  const t = started?.path === path ? started : spawnProcessingThread(path, config);
  if (started && t !== started) await started.store.close().catch(() => undefined);
  t.attach(logger, on);
  const store = t.store;
  await t.migrated;
  let stopped = false;
  return {
    store,
    worker: {
      wake: () => void (stopped || store.post({ type: 'wake' })),
      idle: async () => void (stopped || (await store.call('idle', []))),
      async stop() {
        if (stopped) return;
        stopped = true;
        await store.call('stopWork', []);
      },
    },
    release: async (now) => (await store.call('release', [now])) as string[],
    lead: (active) => store.post({ type: 'lead', active }),
    swapConfig: (c) => store.post({ type: 'config', config: configForThread(c) }),
  };
}
