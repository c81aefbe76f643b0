// The in-flight body budget as a pure object: leases grow, refuse past the limit, give back.
import { expect, it } from 'vitest';
import { createBodyBudget } from '../../src/http/budget.ts';

it('refuses past the limit, admits one body alone whatever its size, and gives everything back', () => {
  let limit = 100;
  const b = createBodyBudget(() => limit);
  const first = b.lease();
  expect(first.take(150)).toBe(true); // alone: admitted even above the limit
  const second = b.lease();
  expect(second.take(1)).toBe(false);
  first.release();
  first.release(); // idempotent
  expect(b.used()).toBe(0);
  expect(second.take(60)).toBe(true);
  expect(second.take(40)).toBe(true);
  const third = b.lease();
  expect(third.take(1)).toBe(false);
  limit = 200; // read per take: a reload applies at once
  expect(third.take(100)).toBe(true);
  second.release();
  third.release();
  expect(b.used()).toBe(0);
});
