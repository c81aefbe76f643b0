import { describe, expect, it } from 'vitest';
import { createSemaphore } from '../../../src/adapters/gitea/semaphore.ts';

describe('createSemaphore', () => {
  it('grants up to the limit and hands slots over in order', async () => {
    const s = createSemaphore(2);
    const a = await s.acquire();
    const b = await s.acquire();
    const order: string[] = [];
    const c = s.acquire().then((r) => (order.push('c'), r));
    const d = s.acquire().then((r) => (order.push('d'), r));
    expect([s.active, s.waiting]).toEqual([2, 2]);
    a();
    a(); // releasing twice frees one slot only
    const rc = await c;
    expect(order).toEqual(['c']);
    expect([s.active, s.waiting]).toEqual([2, 1]);
    b();
    (await d)();
    rc();
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  it('refuses a limit below 1', () => {
    expect(() => createSemaphore(0)).toThrow(/positive integer/);
  });
});
