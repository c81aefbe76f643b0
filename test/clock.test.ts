// The fake clock: timers run in due order as time is advanced, intervals repeat, cleared ones never
// run, and wall and monotonic time move together.
import { expect, it } from 'vitest';
import { fakeClock } from '../src/clock.ts';

it('runs timers in due order when advanced, repeats intervals, skips cleared ones', async () => {
  const c = fakeClock(1000);
  const seen: string[] = [];
  c.setTimeout(() => seen.push(`b@${c.now()}`), 200);
  c.setTimeout(() => seen.push(`a@${c.now()}`), 100);
  const gone = c.setTimeout(() => seen.push('never'), 150);
  c.clearTimeout(gone);
  const tick = c.setInterval(() => seen.push(`i@${c.mono()}`), 120);
  await c.advance(99);
  expect(seen).toEqual([]);
  await c.advance(200);
  expect(seen).toEqual(['a@1100', 'i@120', 'b@1200', 'i@240']);
  c.clearInterval(tick);
  await c.advance(1000);
  expect(seen).toHaveLength(4);
  expect([c.now(), c.mono()]).toEqual([2299, 1299]);
});

it('a timer set by a timer (or by async work it starts) runs in the same advance when it falls due', async () => {
  const c = fakeClock(0);
  const seen: number[] = [];
  c.setTimeout(async () => {
    await Promise.resolve();
    c.setTimeout(() => seen.push(c.now()), 50);
  }, 100);
  await c.advance(150);
  expect(seen).toEqual([150]);
});
