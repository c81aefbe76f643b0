import { describe, expect, it } from 'vitest';
import { globError } from '../../src/config/globs.ts';

describe('globError', () => {
  it.each(['*', 'dataforge/*', 'dataforge/sandbox-*', 'release/{1,2}', 'v[0-9]*', 'feature/**', '\\[literal', '@(a|b)', 'a}'])('accepts %s', (g) => {
    expect(globError(g)).toBeNull();
  });

  it.each([
    ['dataforge/[api', '"[" is never closed by "]"'],
    ['release/{1,2', '"{" is never closed by "}"'],
    ['@(a|b', '"(" is never closed by ")"'],
    ['api]', '"]" has no opening "["'],
    ['', 'is an empty glob'],
    ['  ', 'is an empty glob'],
  ])('rejects %j', (g, why) => {
    expect(globError(g)).toContain(why);
  });
});
