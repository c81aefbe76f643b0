// The editor modeline of every shipped example config points at a schema URL that works outside
// this repository: the schema as published in the npm package, pinned to this version.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import schema from '../../schema/monitor.schema.json' with { type: 'json' };
import pkg from '../../package.json' with { type: 'json' };

const ROOT = new URL('../../', import.meta.url);
const EXAMPLES = ['monitor.yaml', 'deploy/systemd/monitor.yaml', 'deploy/docker/monitor.yaml', 'deploy/compose/config/monitor.yaml'];

describe('schema URL', () => {
  const published = `https://unpkg.com/${pkg.name}@${pkg.version}/schema/monitor.schema.json`;

  it('the schema ships in the package and its $id is its versioned URL there', () => {
    expect(pkg.files).toContain('schema');
    expect(schema.$id).toBe(published);
  });

  it.each(EXAMPLES)('%s starts with a modeline pointing at it (never a path relative to the repo)', (file) => {
    const first = readFileSync(new URL(file, ROOT), 'utf8').split('\n')[0];
    expect(first).toBe(`# yaml-language-server: $schema=${published}`);
  });
});
