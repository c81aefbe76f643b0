// The published package runs the bundle `npm run build` makes (scripts/build.ts, issue 13:
// start-up): a few files with the dependencies inside, not ~400 modules. Built here into a folder of
// its own, it runs the whole demo (daemon, processing thread, stand-ins) and `serve` on its daemon
// thread, and imports nothing from node_modules but what is meant to stay outside.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDist, EXTERNAL } from '../../scripts/build.ts';

const dir = `.build-test-${process.pid}`;
const out = fileURLToPath(new URL(`../../${dir}/`, import.meta.url));
beforeAll(() => buildDist(dir), 30_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('is a handful of files whose only bare imports are node built-ins and the lazy externals', () => {
  const files = readdirSync(out).filter((f) => f.endsWith('.js'));
  expect(files).toEqual(expect.arrayContaining(['monitor.js', 'daemon-thread-main.js', 'processing-thread-main.js', 'sqlite-thread-worker.js']));
  expect(files.length).toBeLessThan(60);
  const bare = new Set<string>();
  for (const f of files) {
    const src = readFileSync(join(out, f), 'utf8');
    for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"'./][^"']*)["']|\bimport\(\s*["']([^"'./][^"']*)["']\s*\)/g)) bare.add(m[1] ?? m[2]!);
  }
  const stray = [...bare].filter((s) => !EXTERNAL.some((e) => e.test(s)));
  expect(stray).toEqual([]);
});

it('runs the demo end to end', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'monitor-bundle-'));
  try {
    const entry = pathToFileURL(join(out, 'monitor.js')).href;
    const r = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(entry)}).then((m) => m.main(['demo', '--exit', '--window', '1s'])).then((c) => process.exit(c))`], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr + r.stdout).toContain('notices in #fn-registry-news');
    expect(r.status).toBe(0);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}, 60_000);

it('runs `serve` on its daemon thread: a config it cannot use is reported from there, exit 1', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'monitor-bundle-'));
  try {
    writeFileSync(join(cwd, 'monitor.yaml'), 'version: 1\nbogus: 1\n');
    const entry = pathToFileURL(join(out, 'monitor.js')).href;
    const r = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(entry)}).then((m) => m.main(['serve', '-c', 'monitor.yaml'])).then((c) => process.exit(c))`], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toContain('unknown top-level key "bogus"');
    expect(r.status).toBe(1);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}, 60_000);
