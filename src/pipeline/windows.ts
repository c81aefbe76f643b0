// Rate-limit windows, one per (repo, room). They are recorded in the records database by the
// transaction that decides them (a processed delivery, a released digest: ProcessedDelivery.windows,
// releaseHeld's `opens`), so after a crash or a power cut they always match the outbox. This is the
// leading replica's view of them: read once from the records, then remembered.
import type { RateWindows } from '../adapters/store/types.ts';
import type { WindowState } from './throttle.ts';

export interface WindowStore {
  get(repo: string, room: string): Promise<WindowState | null>;
  /** The window a transaction recorded, once it is in that transaction (see forget). */
  set(repo: string, room: string, w: WindowState): void;
  /** Drops what is remembered: leadership changed hands, or a transaction that recorded windows did
   * not commit. */
  forget(): void;
}

export function windowStore(records: RateWindows): WindowStore {
  const key = (repo: string, room: string) => `${repo}\n${room}`;
  // Only the leading replica decides windows, so what it remembers is exact while it leads.
  const cache = new Map<string, WindowState | null>();
  return {
    async get(repo, room) {
      const k = key(repo, room);
      if (cache.has(k)) return cache.get(k)!;
      const w = await records.windowOf(repo, room);
      cache.set(k, w);
      return w;
    },
    set: (repo, room, w) => void cache.set(key(repo, room), w),
    forget: () => cache.clear(),
  };
}
