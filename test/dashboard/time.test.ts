import { describe, expect, it } from 'vitest';
import { formatDuration, relativeTime } from '../../src/dashboard/time.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');
describe('relativeTime', () => {
  it.each([
    [0, 'just now'],
    [44_000, 'just now'],
    [-5_000, 'just now'],
    [46_000, '1 min ago'],
    [3 * 60_000, '3 min ago'],
    [59 * 60_000, '59 min ago'],
    [2 * 3_600_000, '2 h ago'],
    [23 * 3_600_000, '23 h ago'],
    [5 * 86_400_000, '5 d ago'],
    [45 * 86_400_000, '2026-03-17'],
  ])('%i ms ago -> %s', (ago, want) => expect(relativeTime(NOW - ago, NOW)).toBe(want));
});

describe('formatDuration', () => {
  it.each([
    [0.42, '0.4 ms'],
    [12.4, '12 ms'],
    [1250, '1.25 s'],
    [210_000, '3.5 min'],
    [7_560_000, '2.1 h'],
  ])('%d -> %s', (ms, want) => expect(formatDuration(ms)).toBe(want));
});
