// A Node older than engines.node, for real: a copy of the launcher files in a temporary project
// whose package.json demands Node >= 99, so the Node running these tests is the old one.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const RUNTIME = `node-${process.platform}-${process.arch}`;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** bin/, scripts/test-node.js and a package.json with engines >=99.0.0, optionally a runtime package. */
function project(runtimeVersion?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-old-node-'));
  dirs.push(dir);
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(ROOT, 'scripts/test-node.js'), join(dir, 'scripts/test-node.js'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, engines: { node: '>=99.0.0' }, optionalDependencies: { [RUNTIME]: '^99.0.0' } }));
  if (runtimeVersion) {
    const at = join(dir, 'node_modules', RUNTIME);
    mkdirSync(join(at, 'bin'), { recursive: true });
    writeFileSync(join(at, 'package.json'), JSON.stringify({ name: RUNTIME, version: runtimeVersion, bin: { node: 'bin/node' } }));
    symlinkSync(process.execPath, join(at, 'bin/node'));
  }
  return dir;
}

function run(dir: string, file: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(dir, file), ...args], { cwd: dir }, (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

const refusal = `gitea-releases-monitor needs Node.js >=99.0.0, but ${process.execPath} is ${process.versions.node}: run \`npm install\` (or \`npm ci\`) without --omit=optional to get the Node 24 that gitea-releases-monitor brings along, or install Node 24 (https://nodejs.org/en/download).\n`;

describe('bin/monitor.js on a Node older than engines.node, without the bundled runtime', () => {
  it('prints one line naming the Node it needs and how to get it, and exits 1', async () => {
    expect(await run(project(), 'bin/monitor.js', ['demo', '--exit'])).toEqual({ code: 1, stdout: '', stderr: refusal });
  });
});

describe('scripts/test-node.js (what npm test checks first)', () => {
  it('without a runtime: the same one line, exit 1', async () => {
    expect(await run(project(), 'scripts/test-node.js')).toEqual({ code: 1, stdout: '', stderr: refusal });
  });

  it('with the runtime installed but not linked: links node_modules/.bin/node to it', async () => {
    const dir = project('99.1.0');
    const r = await run(dir, 'scripts/test-node.js');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^provision: linked node_modules\/\.bin\/node to the bundled .*\n$/);
    expect(readlinkSync(join(dir, 'node_modules/.bin/node'))).toBe(`../${RUNTIME}/bin/node`);
  });

  it('with a runtime that is itself too old: refuses', async () => {
    expect((await run(project('98.0.0'), 'scripts/test-node.js')).code).toBe(1);
  });
});
