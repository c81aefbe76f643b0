// scripts/provision.sh, which `npm test` runs first (pretest) and .ci/run too: silent when the
// machine has everything, one line naming what is missing and how to get it otherwise.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const SCRIPT = new URL('scripts/provision.sh', ROOT).pathname;

function provision(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('/bin/bash', [SCRIPT], { env }, (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

/** A loopback port that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('scripts/provision.sh', () => {
  // A PATH with node and timeout only: no chromium, pass, gpg, apt-get, pg_ctlcluster.
  const bare = mkdtempSync(join(tmpdir(), 'monitor-provision-'));
  symlinkSync(process.execPath, join(bare, 'node'));
  symlinkSync('/usr/bin/timeout', join(bare, 'timeout'));
  afterAll(() => rmSync(bare, { recursive: true, force: true }));

  it('is silent and succeeds on a machine that has everything (this one)', async () => {
    expect(await provision({ PATH: process.env.PATH ?? '' })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('stops at once with one line naming what is missing and the command that provides it', async () => {
    const port = await closedPort();
    const r = await provision({ PATH: bare, TEST_PG_URL: `postgres://postgres@127.0.0.1:${port}/test` });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^provision: the tests need chromium, pass, gnupg; PostgreSQL on 127\\.0\\.0\\.1:${port} \\(trust auth, database test; or set TEST_PG_URL\\)`));
    expect(lines[0]).toMatch(/provide with: (sudo )?apt-get install -y chromium pass gnupg postgresql( redis-server)?$/);
  });

  it('is what npm test runs first, and what CI runs before the README test command', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
    expect(pkg.scripts.pretest).toBe('bash scripts/provision.sh');
    const ci = readFileSync(new URL('.ci/run', ROOT), 'utf8');
    expect(ci.indexOf('npm run pretest')).toBeGreaterThan(-1);
    expect(ci.indexOf('npm run pretest')).toBeLessThan(ci.indexOf('\nnpm test'));
  });
});
