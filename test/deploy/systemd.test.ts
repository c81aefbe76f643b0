// deploy/systemd: the unit's directives, its credentials against the example monitor.yaml, and
// systemd's own verdict (`systemd-analyze verify` and `security`, present on this machine).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configArg, monitorFacts, parseUnit, read, unitValue } from './manifests.ts';

const UNIT_NAME = 'gitea-releases-monitor.service';
const unitText = read(`deploy/systemd/${UNIT_NAME}`);
const unit = parseUnit(unitText);
const svc = (key: string) => unitValue(unit, 'Service', key);
const all = (key: string) => unit.get('Service')?.get(key) ?? [];
const config = monitorFacts(read('deploy/systemd/monitor.yaml'), 'deploy/systemd/monitor.yaml');

/** `30`, `30s`, `1min 30s`, `500ms` -> milliseconds (systemd.time(7), the units used here). */
function systemdSpan(text: string): number {
  const unitMs: Record<string, number> = { '': 1000, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(/(\d+)\s*([a-z]*)/g)) {
    const factor = unitMs[m[2]!];
    if (factor === undefined) throw new Error(`unknown time unit in "${text}"`);
    total += Number(m[1]) * factor;
  }
  return total;
}

describe('systemd unit', () => {
  it('has the sections a service needs', () => {
    expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
    expect(unitValue(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('runs as a dynamic user with a state directory, reloads with SIGHUP and restarts on failure', () => {
    expect(svc('DynamicUser')).toBe('yes');
    expect(svc('StateDirectory')).toBe('gitea-releases-monitor');
    expect(svc('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(svc('Restart')).toBe('on-failure');
    expect(all('User')).toEqual([]);
  });

  it('is hardened', () => {
    const expected: Record<string, string> = {
      ProtectSystem: 'strict', ProtectHome: 'yes', NoNewPrivileges: 'yes', PrivateTmp: 'yes', PrivateDevices: 'yes',
      ProtectKernelTunables: 'yes', ProtectKernelModules: 'yes', ProtectKernelLogs: 'yes',
    };
    for (const [key, value] of Object.entries(expected)) expect(svc(key), key).toBe(value);
    expect(svc('RestrictAddressFamilies')!.split(/\s+/).sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    expect(all('SystemCallFilter')[0]).toBe('@system-service');
  });

  it('leaves W+X memory allowed, because the V8 JIT needs it', () => {
    expect(svc('MemoryDenyWriteExecute') ?? 'no').toBe('no');
    // The reason is written next to the setting, for the next person tempted to flip it.
    expect(unitText).toMatch(/JIT[\s\S]{0,300}\nMemoryDenyWriteExecute=no/);
  });

  it('starts `serve` with an absolute config path outside the home folders it hides', () => {
    const argv = svc('ExecStart')!.split(/\s+/);
    expect(argv[0]).toMatch(/^\/.*\/node$/);
    expect(argv[1]).toMatch(/^\/.*\/bin\/monitor\.js$/);
    expect(argv[2]).toBe('serve');
    const file = configArg(argv)!;
    expect(posix.isAbsolute(file)).toBe(true);
    expect(file).not.toMatch(/^\/(home|root|run\/user)\//);
  });

  it('waits longer than the drain timeout before killing', () => {
    expect(systemdSpan(svc('TimeoutStopSec')!)).toBeGreaterThan(config.drainMs);
    expect(svc('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
  });
});

describe('systemd monitor.yaml', () => {
  const credDir = `/run/credentials/${UNIT_NAME}`;
  const credentials = new Map(all('LoadCredential').map((v) => [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)] as const));

  it('passes the project checker', () => {
    expect(config.problems).toEqual([]);
  });

  it('reads every secret from a credential the unit loads', () => {
    expect(config.nonFileSecrets).toEqual([]);
    expect(config.secretFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of config.secretFiles) {
      expect(dirname(file), file).toBe(credDir);
      expect(credentials.has(posix.basename(file)), `LoadCredential= for ${file}`).toBe(true);
    }
  });

  it('loads credentials for the Gitea token, the webhook secret and the Matrix token', () => {
    const raw = config.raw;
    for (const source of [raw.gitea.token, raw.webhook.secret, raw.matrix.access_token]) {
      expect(credentials.get(posix.basename(source.file))).toMatch(/^\/etc\/gitea-releases-monitor\/credentials\//);
    }
  });

  it('writes only inside the state directory (everything else is read-only)', () => {
    const state = `/var/lib/${svc('StateDirectory')}/`;
    expect(config.database.startsWith(`sqlite:${state}`), config.database).toBe(true);
    expect(config.state.driver).toBe('fs');
    expect(`${config.state.base}/`.startsWith(state), config.state.base).toBe(true);
  });
});

describe('systemd-analyze', () => {
  // Checked on the real tool: this machine has it (`which systemd-analyze`).
  const dir = mkdtempSync(join(tmpdir(), 'unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // verify insists that the executable exists: point ExecStart at the node running this test.
  const local = unitText.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`);
  const path = join(dir, UNIT_NAME);
  writeFileSync(path, local);

  it('verify accepts the unit without a single warning', () => {
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', path], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('rates the exposure at 2.0 or below', () => {
    // --threshold counts tenths: 20 = an overall exposure level of 2.0 ("OK").
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--threshold=20', '--no-pager', path], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(/Overall exposure level/);
    expect(r.status, r.stdout.split('\n').filter((l) => l.includes('Overall')).join()).toBe(0);
  });
});
