import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../../scripts/gen-types.ts';

describe('src/config/schema.types.ts', () => {
  it('is what scripts/gen-types.ts makes of the schema now (run `npm run gen:types`)', async () => {
    const current = readFileSync(new URL('../../src/config/schema.types.ts', import.meta.url), 'utf8');
    expect(current).toBe(await generateTypes());
  });
});
