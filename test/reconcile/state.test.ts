import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { readRemembered, readTargetRecords, writeTargetRecords } from '../../src/reconcile/state.ts';
import { createStateStorage } from '../../src/adapters/state/storage.ts';

const rec = (fp: string) => ({ fingerprint: fp, recordedAt: '2026-01-01T00:00:00.000Z' });

describe('reconcile state', () => {
  it('round-trips per-target records through the fs driver, and an empty map removes the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monitor-state-'));
    try {
      const storage = createStateStorage({ driver: 'fs', base: dir, url: null, prefix: 'monitor' });
      await writeTargetRecords(storage, { kind: 'repo', repo: 'df/api' }, new Map([[12, rec('aa')], [3, rec('bb')]]));
      await writeTargetRecords(storage, { kind: 'org', org: 'df' }, new Map([[7, rec('cc')]]));
      const again = createStateStorage({ driver: 'fs', base: dir, url: null, prefix: 'monitor' });
      const remembered = await readRemembered(again);
      expect([...remembered.keys()].sort()).toEqual(['org:df', 'repo:df/api']);
      expect(remembered.get('repo:df/api')).toEqual(new Map([[3, rec('bb')], [12, rec('aa')]]));
      expect(readdirSync(join(dir, 'reconcile', 'hooks', 'repo', 'df'))).toEqual(['api']);
      await writeTargetRecords(again, { kind: 'repo', repo: 'df/api' }, new Map());
      expect([...(await readRemembered(again)).keys()]).toEqual(['org:df']);
      await storage.dispose();
      await again.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores records it cannot read instead of failing the pass', async () => {
    const storage = createStorage();
    await storage.setItem('reconcile:hooks:repo:df:web', { hooks: { abc: { fingerprint: 'x' }, 5: { fingerprint: 7 }, 6: { fingerprint: 'ok' } } });
    await storage.setItem('reconcile:hooks:nonsense', 'x');
    expect(await readRemembered(storage)).toEqual(new Map([['repo:df/web', new Map([[6, { fingerprint: 'ok', recordedAt: '' }]])]]));
    expect(await readTargetRecords(storage, { kind: 'repo', repo: 'df/none' })).toEqual(new Map());
  });

  it('refuses a redis state without a url', () => {
    expect(() => createStateStorage({ driver: 'redis', base: '', url: null, prefix: 'monitor' })).toThrow('state.url is required');
  });
});
