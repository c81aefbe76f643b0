// The branch-heads port's contract on SQLite and PostgreSQL: last head per branch, moved by
// setHead or by a processed delivery, forgotten when the branch is deleted.
import { expect, it } from 'vitest';
import type { BranchHeads } from '../../../src/adapters/store/types.ts';
import { delivery, onEachBackend, run } from './backends.ts';

onEachBackend('Branch heads', (t) => {
  it('keeps the last head per branch, forgets a deleted branch, lists repos with heads', async () => {
    const heads: BranchHeads = t.store;
    expect(await heads.heads('dataforge/api')).toEqual({});
    await heads.setHead('dataforge/api', 'main', 'a1', 1000);
    await heads.setHead('dataforge/api', 'main', 'a2', 2000);
    await heads.setHead('dataforge/api', 'dev', 'd1', 2000);
    await heads.setHead('dataforge/web', 'main', 'w1', 2000);
    expect(await heads.heads('dataforge/api')).toEqual({ main: 'a2', dev: 'd1' });
    await heads.setHead('dataforge/api', 'dev', null, 3000);
    expect(await heads.heads('dataforge/api')).toEqual({ main: 'a2' });
    expect(await heads.reposWithHeads()).toEqual(['dataforge/api', 'dataforge/web']);
  });

  it('a processed delivery moves its head in the same transaction', async () => {
    const seq = ((await t.store.insertDelivery(delivery('h'))) as { seq: number }).seq;
    await t.store.commitProcessed({ seq, run: run('h'), notices: [], calls: [], head: { repo: 'dataforge/api', branch: 'main', sha: 'b' } });
    expect(await t.store.heads('dataforge/api')).toEqual({ main: 'b' });
  });

  it('setHeads records several heads of one repository at once, deletions included', async () => {
    await t.store.setHead('dataforge/api', 'old', 'o1', 1000);
    await t.store.setHeads('dataforge/api', [['main', 'm1'], ['tag:v1', 't1'], ['old', null]], 2000);
    expect(await t.store.heads('dataforge/api')).toEqual({ main: 'm1', 'tag:v1': 't1' });
  });
});
