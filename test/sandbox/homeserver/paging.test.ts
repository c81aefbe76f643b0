import { describe, expect, it } from 'vitest';
import { formatToken, paginate, parseToken } from '../../../src/sandbox/homeserver/paging.ts';
import type { Page, PageRequest } from '../../../src/sandbox/homeserver/paging.ts';

const items = ['a', 'b', 'c', 'd', 'e'];

describe('paginate', () => {
  const cases: Array<[string, PageRequest, Page<string>]> = [
    ['b from the end', { dir: 'b', limit: 2 }, { chunk: ['e', 'd'], start: 5, end: 3 }],
    ['b continues', { dir: 'b', from: 3, limit: 2 }, { chunk: ['c', 'b'], start: 3, end: 1 }],
    ['b reaches the start: no end', { dir: 'b', from: 1, limit: 2 }, { chunk: ['a'], start: 1 }],
    ['b exactly exhausts: no end', { dir: 'b', from: 2, limit: 2 }, { chunk: ['b', 'a'], start: 2 }],
    ['b from 0 is empty', { dir: 'b', from: 0, limit: 2 }, { chunk: [], start: 0 }],
    ['f from the start', { dir: 'f', limit: 2 }, { chunk: ['a', 'b'], start: 0, end: 2 }],
    ['f reaches the end: no end', { dir: 'f', from: 3, limit: 5 }, { chunk: ['d', 'e'], start: 3 }],
    ['from past the end is clamped', { dir: 'b', from: 99, limit: 1 }, { chunk: ['e'], start: 5, end: 4 }],
    ['limit 0 returns nothing but keeps the place', { dir: 'b', from: 4, limit: 0 }, { chunk: [], start: 4, end: 4 }],
  ];
  it.each(cases)('%s', (_name, req, want) => {
    expect(paginate(items, req)).toEqual(want);
  });

  it('does not reorder the source timeline', () => {
    const source = [...items];
    paginate(source, { dir: 'b', limit: 5 });
    expect(source).toEqual(items);
  });
});

describe('tokens', () => {
  it('round-trips positions and rejects foreign tokens', () => {
    expect(parseToken(formatToken(42))).toBe(42);
    for (const bad of ['42', 's', 's-1', 't3', 's1x', '']) expect(parseToken(bad)).toBeUndefined();
  });
});
