import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateValidators } from '../../scripts/gen-validators.ts';

// The config and payload checks run ajv code generated ahead of time (no schema compile at start):
// it must be what the schemas compile to now.
describe('src/generated/*-validator(s).ts', () => {
  it('are what scripts/gen-validators.ts makes of the schemas now (run `npm run gen:validators`)', async () => {
    const v = await generateValidators();
    expect(readFileSync(new URL('../../src/generated/config-validator.ts', import.meta.url), 'utf8')).toBe(v.config);
    expect(readFileSync(new URL('../../src/generated/payload-validators.ts', import.meta.url), 'utf8')).toBe(v.payloads);
  });
});
