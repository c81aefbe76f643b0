// The unstorage instance behind rate-limit windows, hook fingerprints and leases:
// fs (default, one replica), redis (several replicas) or memory (tests, demo).
import { createStorage, type Driver, type Storage } from 'unstorage';
import fsLite from 'unstorage/drivers/fs-lite';
import type { Config } from '../../config/config.ts';

/** The redis driver (and ioredis, ~100 ms to load) is loaded on the first use, not at every start. */
function lazyRedis(url: string, base: string): Driver {
  let real: Promise<Driver> | null = null;
  const load = () => (real ??= import('unstorage/drivers/redis').then((m) => m.default({ url, base })));
  const call = (name: 'hasItem' | 'getItem' | 'setItem' | 'removeItem' | 'getKeys' | 'clear') =>
    async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args);
  return {
    name: 'redis',
    hasItem: call('hasItem'), getItem: call('getItem'), setItem: call('setItem'),
    removeItem: call('removeItem'), getKeys: call('getKeys'), clear: call('clear'),
    dispose: async () => void (real && (await (await real).dispose?.())),
  } as Driver;
}

export function createStateStorage(state: Config['state']): Storage {
  switch (state.driver) {
    case 'memory':
      return createStorage();
    case 'fs':
      return createStorage({ driver: fsLite({ base: state.base }) });
    case 'redis':
      if (!state.url) throw new Error('state.url is required for state.driver: redis');
      return createStorage({ driver: lazyRedis(state.url, state.prefix) });
  }
}

/** A key segment that is safe for every driver (unstorage treats ':' and '/' as separators). */
export function keyPart(s: string): string {
  return encodeURIComponent(s).replace(/[%.]/g, (c) => (c === '%' ? '~' : '~2E'));
}
