import { describe, expect, it } from 'vitest';
import { decideThrottle, windowAfterRelease } from '../../src/pipeline/throttle.ts';

describe('decideThrottle', () => {
  const W = 60_000;
  it.each([
    ['no window: send and open one', 1000, null, false, 1, { action: 'send', window: { until: 61_000, count: 1 } }],
    ['window expired: send and open a new one', 70_000, { until: 61_000, count: 1 }, false, 1, { action: 'send', window: { until: 130_000, count: 1 } }],
    ['inside a full window: hold until it ends', 2000, { until: 61_000, count: 1 }, false, 1, { action: 'hold', until: 61_000 }],
    ['inside a window with room left: send and count', 2000, { until: 61_000, count: 1 }, false, 2, { action: 'send', window: { until: 61_000, count: 2 } }],
    ['held items wait: never overtake them', 2000, { until: 61_000, count: 1 }, true, 5, { action: 'hold', until: 61_000 }],
    ['held items and an expired window: hold for the release now', 70_000, { until: 61_000, count: 1 }, true, 1, { action: 'hold', until: 70_000 }],
    ['the clock went back an hour: the window ends within its length from now', 2000, { until: 3_661_000, count: 1 }, false, 1, { action: 'hold', until: 62_000 }],
  ] as const)('%s', (_name, now, w, held, limit, expected) => {
    expect(decideThrottle(now, w, held, limit, W)).toEqual(expected);
  });

  it('a release opens the next window', () => {
    expect(windowAfterRelease(5000, W)).toEqual({ until: 65_000, count: 1 });
  });
});
