// The health records in the state storage: a read that races an fs rewrite (empty or cut short)
// falls back to what this process last read, instead of "no pass yet" or "no record".
import { createStorage } from 'unstorage';
import { expect, it } from 'vitest';
import { healthStore } from '../../src/reconcile/health-store.ts';

it('a torn read of a record returns the last good one; a removed record is gone', async () => {
  const storage = createStorage();
  const store = healthStore(storage);
  const pass = { at: 1, declared: [['df/a', 'repo:df/a']] as Array<[string, string]>, errors: [], failure: null, rights: [], unlisted: [] };
  await store.setPass(pass);
  await store.setHook('repo:df/a', { since: 1, verifiedAt: 2 });
  expect(await store.pass()).toEqual(pass);
  expect(await store.hook('repo:df/a')).toEqual({ since: 1, verifiedAt: 2 });
  for (const torn of ['', '{"at":1,"decl']) {
    await storage.setItem('health:pass', torn);
    await storage.setItem('health:hook:repo~3Adf~2Fa', torn);
    expect(await store.pass()).toEqual(pass);
    expect(await store.hooks(['repo:df/a'])).toEqual(new Map([['repo:df/a', { since: 1, verifiedAt: 2 }]]));
  }
  await store.removeHook('repo:df/a');
  expect(await store.hook('repo:df/a')).toBeUndefined();
  expect(await healthStore(storage).hook('repo:df/b')).toBeUndefined();
});
