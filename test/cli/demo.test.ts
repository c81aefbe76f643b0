// `monitor demo` through the real CLI: the sandbox comes up, reconcile installs the hooks, the
// simulated activity is announced (each push once, the burst as one digest) and it exits cleanly.
import { expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/monitor.js', import.meta.url));

it('runs the whole product against the built-in sandbox', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'demo', '--exit', '--window', '2s'], { timeout: 60_000 });
  const notices = stdout.split('\n').filter((l) => l.startsWith('▸ '));
  const seen = notices.map((l) => l.replace(/^▸ \S+\s+/, '').replace(/ at [0-9a-f]{7}$/, ''));
  // The release with a new tag is one notice (the tag push merged into it), not "tagged" then "released".
  expect(seen).toEqual([
    '[dataforge/api] alice pushed 3 commits to main',
    '[dataforge/web] bob created branch feature/login',
    '[dataforge/pipelines] carol released Pipelines 1.0 (v1.0.0)',
    '[dataforge/api] 3 pushes, 6 commits to main by bob, alice, carol since the last notice',
  ]);
  expect(stdout).toContain('Hooks installed by reconcile on dataforge/api, dataforge/web, dataforge/pipelines');
  expect(stdout).toMatch(/Dashboard +http:\/\/127\.0\.0\.1:\d+\/ui\/\?token=[0-9a-f]+/);
  expect(stdout).toContain('Escape <b>markup</b> & @room mentions in titles (Alice Liddell)');
  expect(stdout).not.toContain('registry-bot pushed');
  expect(stdout).not.toContain('[dataforge/sandbox-play]');
});
