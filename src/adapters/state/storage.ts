// The unstorage instance behind rate-limit windows, hook fingerprints and leases:
// fs (default, one replica), redis (several replicas) or memory (tests, demo).
import { createStorage, type Storage } from 'unstorage';
import fsLite from 'unstorage/drivers/fs-lite';
import redisDriver from 'unstorage/drivers/redis';
import type { Config } from '../../config/config.ts';

export function createStateStorage(state: Config['state']): Storage {
  switch (state.driver) {
    case 'memory':
      return createStorage();
    case 'fs':
      return createStorage({ driver: fsLite({ base: state.base }) });
    case 'redis':
      if (!state.url) throw new Error('state.url is required for state.driver: redis');
      return createStorage({ driver: redisDriver({ url: state.url, base: state.prefix }) });
  }
}

/** A key segment that is safe for every driver (unstorage treats ':' and '/' as separators). */
export function keyPart(s: string): string {
  return encodeURIComponent(s).replace(/[%.]/g, (c) => (c === '%' ? '~' : '~2E'));
}
