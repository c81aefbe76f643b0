#!/usr/bin/env node
// Entry point of the `monitor` CLI. It first makes sure the Node running it is new enough (see
// node-check.js): an older one hands over to the Node 24 that npm installed with the package, or
// prints one line saying what to do. In the repository it runs the TypeScript sources (Node's type
// stripping); an installed package has no src/ and runs the bundled dist/ instead (scripts/build.ts).
import { spawn } from 'node:child_process';
import module from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundledNode, nodeProblem, packageFacts } from './node-check.js';

// libuv's pool (4 threads unless told) runs every WAL fdatasync that a 202 waits for, and also DNS
// lookups of the Gitea and Matrix hosts and fs reads: four lookups stuck on a resolver that times
// out would hold every 202 back. Read when the pool starts, at its first use, which is later.
process.env.UV_THREADPOOL_SIZE ??= '8';

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

/** Runs this file again under `node` with `flags`, passing signals on; exits as the child does. */
function handOver(node, flags) {
  const child = spawn(node, flags.concat([self], args), { stdio: 'inherit' });
  // SIGTERM and SIGHUP are sent to this process's pid (kill, an init system): pass them on. Ctrl-C
  // reaches the whole foreground process group, the child included, so SIGINT is only held here.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGHUP', () => child.kill('SIGHUP'));
  process.on('SIGINT', () => {});
  child.on('error', (e) => {
    console.error('monitor: cannot start ' + node + ': ' + e.message);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code === null ? 1 : code);
  });
}

function run() {
  const source = new URL('../src/cli/main.ts', import.meta.url);
  // MONITOR_FROM_DIST=1 runs the compiled dist/ of a checkout (`npm run build`), as an installed
  // package does: no type stripping at start (the bench measures what users run).
  const inRepo = existsSync(source) && !(process.env.MONITOR_FROM_DIST === '1' && existsSync(new URL('../dist/monitor.js', import.meta.url)));
  // Type stripping is on by default from Node 22.18 / 23.6; 23.0-23.5 need the flag.
  if (inRepo && !process.features.typescript && !process.execArgv.includes('--experimental-strip-types')) {
    handOver(process.execPath, process.execArgv.concat(['--experimental-strip-types', '--no-warnings']));
    return;
  }
  const entry = inRepo ? source : new URL('../dist/monitor.js', import.meta.url);
  import(entry.href)
    .then(({ main }) => main(args))
    // Exit now: a library timer (e.g. an HTTP client's request timeout) must not keep a stopped
    // daemon alive. stdout/stderr to pipes and files are synchronous on Linux, so nothing is lost.
    .then((code) => process.exit(code));
}

// V8's code cache for every module this CLI loads (Node >= 22.1; under the OS temp folder): the
// second and later starts skip compiling (and type-stripping) them, about half of a command's time.
module.enableCompileCache?.();

const facts = packageFacts();
const problem = nodeProblem(process.versions.node, process.execPath, facts, process.platform, process.arch);
if (!problem) run();
else {
  const node = bundledNode(facts);
  if (node) handOver(node, process.execArgv);
  else {
    console.error(problem);
    process.exit(1);
  }
}
