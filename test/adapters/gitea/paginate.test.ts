import { describe, expect, it } from 'vitest';
import { GiteaError } from '../../../src/adapters/gitea/errors.ts';
import { listAll } from '../../../src/adapters/gitea/paginate.ts';
import type { Page } from '../../../src/adapters/gitea/types.ts';

const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i }));

function pages(script: Array<Page<{ id: number }>>) {
  const asked: number[] = [];
  return { asked, fetch: async (p: number) => (asked.push(p), script[p - 1] ?? { items: [], total: script[0]?.total ?? null }) };
}

describe('listAll', () => {
  it('reads pages until X-Total-Count is reached', async () => {
    const s = pages([{ items: items(1, 50), total: 120 }, { items: items(51, 50), total: 120 }, { items: items(101, 20), total: 120 }]);
    expect(await listAll(s.fetch, 'x')).toHaveLength(120);
    expect(s.asked).toEqual([1, 2, 3]);
  });

  it('is one call for an empty listing', async () => {
    const s = pages([{ items: [], total: 0 }]);
    expect(await listAll(s.fetch, 'x')).toEqual([]);
    expect(s.asked).toEqual([1]);
  });

  it('copes with a server page cap smaller than the limit asked for', async () => {
    const s = pages([{ items: items(1, 30), total: 45 }, { items: items(31, 15), total: 45 }]);
    expect(await listAll(s.fetch, 'x')).toHaveLength(45);
  });

  it.each([
    ['a short listing', [{ items: items(1, 50), total: 60 }, { items: [], total: 60 }], /incomplete: 50 distinct of 60/],
    ['a total that moves between pages', [{ items: items(1, 50), total: 60 }, { items: items(51, 11), total: 61 }], /changed while it was read/],
    ['a repeated item (shifted page)', [{ items: items(1, 50), total: 60 }, { items: items(50, 10), total: 60 }], /incomplete: 59 distinct of 60/],
  ])('rejects %s', async (_name, script, message) => {
    const err = await listAll(pages(script).fetch, 'repositories of o').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GiteaError);
    expect((err as GiteaError).kind).toBe('incomplete');
    expect((err as GiteaError).message).toMatch(message);
  });

  it('without X-Total-Count reads until an empty page', async () => {
    const s = pages([{ items: items(1, 50), total: null }, { items: items(51, 3), total: null }, { items: [], total: null }]);
    expect(await listAll(s.fetch, 'x')).toHaveLength(53);
    expect(s.asked).toEqual([1, 2, 3]);
  });
});
