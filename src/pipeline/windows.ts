// Rate-limit windows in the state storage, so they survive reload and restart (and are shared by
// replicas on redis). One key per (repo, room).
import type { Storage } from 'unstorage';
import { keyPart } from '../adapters/state/storage.ts';
import type { WindowState } from './throttle.ts';

export interface WindowStore {
  get(repo: string, room: string): Promise<WindowState | null>;
  set(repo: string, room: string, w: WindowState): Promise<void>;
}

export function windowStore(storage: Storage, prefix = 'window'): WindowStore & { forget(): void; flush(): Promise<unknown> } {
  const key = (repo: string, room: string) => `${prefix}:${keyPart(repo)}:${keyPart(room)}`;
  // Only the leading replica reads and writes windows, so a write-through cache is exact while it
  // leads; `forget()` drops it when leadership changes hands.
  const cache = new Map<string, WindowState | null>();
  let pending: Promise<unknown> = Promise.resolve();
  return {
    async get(repo, room) {
      const k = key(repo, room);
      if (cache.has(k)) return cache.get(k)!;
      const v = (await storage.getItem(k)) as WindowState | null;
      const w = v && typeof v.until === 'number' ? v : null;
      cache.set(k, w);
      return w;
    },
    async set(repo, room, w) {
      const k = key(repo, room);
      cache.set(k, w);
      // Written behind: the caller may hold a database transaction open, and a window lost in a
      // crash costs at most one extra notice, never a lost or doubled one.
      pending = pending.then(() => storage.setItem(k, w)).catch(() => undefined);
    },
    flush: () => pending,
    forget: () => cache.clear(),
  };
}
