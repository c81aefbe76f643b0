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

const entry = new URL(import.meta.url.endsWith('.ts') ? './processing-thread.ts' : './processing-thread.js', import.meta.url);

export async function startProcessingThread(path: string, config: Config, logger: Logger, on: ProcessingEvents): Promise<ProcessingThread> {
  const store = openSqliteThreadStore(path, {
    entry,
    data: { role: 'processing', config: configForThread(config) },
    onEvent: (m) => {
      if (m.type === 'processed') on.onProcessed(m as unknown as { repo: string; pending: Destination[]; holdUntil: number[] });
      else if (m.type === 'parked') on.onParked();
      else if (m.type === 'fallback') on.onRenderFallback();
      else if (m.type === 'log') {
        const { level, msg, time: _t, ...fields } = JSON.parse(String(m.line)) as { level: Level; msg: string; time: string } & Record<string, unknown>;
        logger[level](msg, fields);
      }
    },
  });
  await store.migrate();
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
