// Rate-limit windows in the state storage, so they survive reload and restart (and are shared by
// replicas on redis). One key per (repo, room).
import type { Storage } from 'unstorage';
import { keyPart } from '../adapters/state/storage.ts';
import type { WindowState } from './throttle.ts';

export interface WindowStore {
  get(repo: string, room: string): Promise<WindowState | null>;
  set(repo: string, room: string, w: WindowState): Promise<void>;
}

export function windowStore(storage: Storage, prefix = 'window'): WindowStore {
  const key = (repo: string, room: string) => `${prefix}:${keyPart(repo)}:${keyPart(room)}`;
  return {
    async get(repo, room) {
      const v = (await storage.getItem(key(repo, room))) as WindowState | null;
      return v && typeof v.until === 'number' ? v : null;
    },
    async set(repo, room, w) {
      await storage.setItem(key(repo, room), w);
    },
  };
}
