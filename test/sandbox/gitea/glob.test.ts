import { describe, expect, it } from 'vitest';
import { branchFilterMatches, compileGlob } from '../../../src/sandbox/gitea/glob.ts';

describe('branch filter (gobwas glob without separators, v1.25 ref semantics)', () => {
  it.each([
    ['', 'refs/heads/anything', true],
    ['*', 'refs/tags/v1', true],
    ['**', 'refs/heads/a/b', true],
    ['main', 'refs/heads/main', true],
    ['main', 'refs/heads/maint', false],
    ['main', 'refs/tags/v1', false],
    ['refs/heads/main', 'refs/heads/main', true],
    ['feature/*', 'refs/heads/feature/a/b', true],
    ['feature/*', 'refs/heads/feat', false],
    ['v?', 'refs/tags/v1', true],
    ['v?', 'refs/tags/v10', false],
    ['refs/tags/*', 'refs/tags/v1.0.0', true],
    ['refs/tags/*', 'refs/heads/main', false],
    ['{main,release/*}', 'refs/heads/release/1.x', true],
    ['{main,release/*}', 'refs/heads/dev', false],
    ['{a,{b,c}}x', 'refs/heads/cx', true],
    ['[a-c]1', 'refs/heads/b1', true],
    ['[!a-c]1', 'refs/heads/b1', false],
    ['\\*', 'refs/heads/*', true],
    ['\\*', 'refs/heads/x', false],
    ['a.b', 'refs/heads/axb', false],
    ['raw', 'raw', true],
  ])('%j against %s -> %s', (filter, ref, expected) => {
    expect(branchFilterMatches(filter, ref)).toBe(expected);
  });

  it.each(['[main', '{a,b', 'x\\'])('rejects the malformed pattern %j', (pattern) => {
    expect(() => compileGlob(pattern)).toThrow();
    expect(branchFilterMatches(pattern, 'refs/heads/main')).toBe(false);
  });
});
