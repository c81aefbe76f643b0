#!/usr/bin/env node
// Entry point of the `monitor` CLI. The sources are TypeScript run through Node's own type
// stripping (on by default from Node 22.18 / 23.6); on an older 22.x re-run with the flag.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (!process.features.typescript && !process.execArgv.includes('--experimental-strip-types')) {
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit now: a library timer (e.g. an HTTP client's request timeout) must not keep a stopped daemon
// alive. stdout/stderr to pipes and files are synchronous on Linux, so nothing is lost.
process.exit(code);
