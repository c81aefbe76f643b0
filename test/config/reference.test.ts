import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentBlock, END, generateReference, replaceBlock, START } from '../../scripts/gen-config-reference.ts';
import schema from '../../schema/monitor.schema.json' with { type: 'json' };

describe('configuration reference', () => {
  it('README.md holds what the generator makes of the schema now (run `node scripts/gen-config-reference.ts --write`)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(currentBlock(readme)).toBe(generateReference());
  });

  it('documents every setting of the schema with its default', () => {
    const block = generateReference();
    for (const [section, s] of Object.entries(schema.properties)) {
      for (const key of Object.keys((s as { properties?: object }).properties ?? {})) expect(block).toContain(`| \`${section}.${key}\` |`);
    }
    expect(block).toContain('| `repos[].match` | string | **required** |');
    expect(block).toContain('| `gitea.timeout` | duration | `10s` |');
    expect(block).toContain('| `repos[].branches` | list of string | `["*"]` |');
  });

  it('replaces only the marked block', () => {
    const readme = `# x\n\nbefore\n${START}\nold\n${END}\nafter\n`;
    expect(replaceBlock(readme, 'new')).toBe(`# x\n\nbefore\n${START}\nnew\n${END}\nafter\n`);
    expect(() => replaceBlock('# no markers\n', 'new')).toThrow(/config-reference:start/);
  });
});
