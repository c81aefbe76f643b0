// `npm run build` (run by `npm pack` / `npm publish` through prepack, and by the bench): src/ ->
// dist/ as plain JavaScript for the published package, because Node refuses to strip types under
// node_modules. Bundled with rolldown: one file per entry (the CLI, the daemon thread, the processing
// thread, the storage thread) plus shared chunks, with the dependencies inside, so a start resolves and loads a
// handful of files instead of ~400 modules (issue 13: start-up). dist/ is flat and sits beside src/,
// so `new URL('./processing-thread-main.js', import.meta.url)` and `../package.json` resolve in both.
// Left outside the bundle, imported from node_modules when used: what loads lazily and is large or
// ships files of its own (the crypto wasm, pg, the redis driver, fake-indexeddb).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
export const EXTERNAL = [/^node:/, /^@matrix-org\/matrix-sdk-crypto-wasm/, /^pg(\/|$)/, /^ioredis(\/|$)/, /^unstorage\/drivers\/redis/, /^fake-indexeddb(\/|$)/];

/** Builds into `dir` (relative to the repository; a folder directly under it, so `../package.json` resolves). */
export async function buildDist(dir = 'dist'): Promise<void> {
  rmSync(new URL(`../${dir}`, import.meta.url), { recursive: true, force: true });
  await build({
    cwd: root,
    input: {
      monitor: 'src/cli/main.ts',
      'daemon-thread-main': 'src/runtime/daemon-thread-main.ts',
      'processing-thread-main': 'src/runtime/processing-thread-main.ts',
      'sqlite-thread-worker': 'src/adapters/store/sqlite-thread-worker.ts',
    },
    platform: 'node',
    external: EXTERNAL,
    logLevel: 'warn',
    output: { dir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: false },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const t0 = performance.now();
  await buildDist();
  console.log(`build: dist/ in ${Math.round(performance.now() - t0)} ms`);
}
