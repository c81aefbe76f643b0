// deploy/compose: the services around the monitor, Gitea's webhook allow-list, healthchecks and
// start order, secrets and the config folder against config/monitor.yaml.
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/duration.ts';
import { configArg, findKeys, monitorFacts, read, readYaml, ROOT, urlPort } from './manifests.ts';

const DIR = 'deploy/compose/';
const compose = readYaml(`${DIR}compose.yaml`);
const services: Record<string, any> = compose.services;
const monitor = services.monitor;
const config = monitorFacts(read(`${DIR}config/monitor.yaml`), `${DIR}config/monitor.yaml`);

function environment(service: any): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries((env as string[]).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** Gitea's `[webhook] ALLOWED_HOST_LIST` match for a host name (modules/hostmatcher): `*`, the
 * `private` builtin (a compose network is private) or a glob pattern over the name. */
function allowedByGitea(list: string, host: string): boolean {
  const items = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (items.includes('*') || items.includes('private')) return true;
  const glob = (p: string) => new RegExp('^' + p.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  return items.some((p) => glob(p).test(host.toLowerCase()));
}

/** "127.0.0.1:8080:8080" / "8080:8080/tcp" / 8080 -> the container port. */
function containerPort(mapping: string | number): number {
  return Number(String(mapping).split(':').at(-1)!.split('/')[0]);
}

describe('compose services', () => {
  it('has Gitea, a homeserver, PostgreSQL, Redis and the monitor', () => {
    for (const name of ['gitea', 'homeserver', 'postgres', 'redis', 'monitor']) expect(services[name], name).toBeDefined();
    expect(services.gitea.image).toMatch(/gitea/);
    expect(services.homeserver.image).toMatch(/synapse/);
  });

  it('builds the monitor from deploy/docker/Dockerfile with the repository as context', () => {
    const context = posix.normalize(posix.join(DIR, monitor.build.context));
    expect(context).toBe('.');
    expect(monitor.build.dockerfile).toBe('deploy/docker/Dockerfile');
    expect(existsSync(ROOT + monitor.build.dockerfile)).toBe(true);
  });

  it('lets Gitea deliver webhooks to the monitor (ALLOWED_HOST_LIST)', () => {
    const list = environment(services.gitea).GITEA__webhook__ALLOWED_HOST_LIST;
    expect(list, 'GITEA__webhook__ALLOWED_HOST_LIST').toBeDefined();
    expect(config.publicUrl.hostname).toBe('monitor');
    expect(allowedByGitea(list!, config.publicUrl.hostname)).toBe(true);
    // …and nothing broader than needed.
    expect(allowedByGitea(list!, 'postgres')).toBe(false);
  });

  it('points monitor.yaml at the compose services', () => {
    expect(services[new URL(config.raw.gitea.url).hostname]).toBe(services.gitea);
    expect(services[new URL(config.raw.matrix.homeserver).hostname]).toBe(services.homeserver);
    const db = new URL(config.database);
    expect(services[db.hostname]).toBe(services.postgres);
    expect(db.password, 'the password comes from a secret, not monitor.yaml').toBe('');
    expect(config.state.driver).toBe('redis');
    expect(services[new URL(config.state.url!).hostname]).toBe(services.redis);
  });

  it('agrees on one port: listen, public_url, published port, healthcheck', () => {
    const port = config.listen.port;
    expect(urlPort(config.publicUrl)).toBe(port);
    expect(monitor.ports.map(containerPort)).toEqual([port]);
    const health = new URL(environment(monitor).MONITOR_HEALTH_URL!);
    expect(Number(health.port)).toBe(port);
    expect(health.pathname).toBe('/-/ready');
  });

  it('gives every long-running service a healthcheck (the monitor: the image HEALTHCHECK)', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no' || name === 'monitor') continue;
      expect(s.healthcheck?.test, name).toBeDefined();
      expect(s.healthcheck.disable, name).not.toBe(true);
    }
    expect(monitor.healthcheck?.disable).not.toBe(true);
    expect(read('deploy/docker/Dockerfile')).toMatch(/^HEALTHCHECK /m);
  });

  it('starts each service after what it depends on is healthy (or done, for one-shot jobs)', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries<any>(s.depends_on ?? {})) {
        expect(services[dep], `${name} -> ${dep}`).toBeDefined();
        if (services[dep].restart === 'no') expect(cond.condition, `${name} -> ${dep}`).toBe('service_completed_successfully');
        else expect(cond.condition, `${name} -> ${dep}`).toBe('service_healthy');
      }
    }
    expect(Object.keys(monitor.depends_on).sort()).toEqual(['gitea', 'homeserver', 'postgres', 'redis']);
  });

  it('gives the monitor longer than drain_timeout to stop', () => {
    expect(parseDuration(monitor.stop_grace_period)).toBeGreaterThan(config.drainMs);
  });
});

describe('compose config and secrets', () => {
  it('mounts the config folder (not the file) where the command reads it', () => {
    const file = configArg(monitor.command)!;
    const mounts = (monitor.volumes as string[]).map((v) => v.split(':'));
    const mount = mounts.find(([, target]) => target === posix.dirname(file));
    expect(mount, `a volume at ${posix.dirname(file)}`).toBeDefined();
    expect(existsSync(ROOT + posix.join(DIR, mount![0]!, posix.basename(file)))).toBe(true);
    expect(mount![2]).toBe('ro');
  });

  it('keeps the image entrypoint behind the PGPASSWORD wrapper', () => {
    const [shell, flag, script] = monitor.entrypoint as string[];
    expect([shell, flag]).toEqual(['/bin/sh', '-c']);
    expect(script).toContain('PGPASSWORD="$$(cat /run/secrets/postgres-password)"');
    expect(script).toContain('exec node bin/monitor.js "$$@"');
  });

  it('declares every secret file monitor.yaml reads as a compose secret of the monitor', () => {
    expect(config.nonFileSecrets).toEqual([]);
    for (const f of config.secretFiles) {
      expect(posix.dirname(f)).toBe('/run/secrets');
      expect(monitor.secrets, f).toContain(posix.basename(f));
    }
    for (const s of monitor.secrets as string[]) expect(compose.secrets[s]?.file, s).toMatch(/^\.\/secrets\//);
    expect(monitor.secrets).toContain('webhook-secret-previous'); // ready for a rotation
  });

  it('keeps secret values out of the repository', () => {
    const ignore = read(`${DIR}secrets/.gitignore`).split('\n');
    expect(ignore).toContain('*');
    const passwords = Object.entries(services).flatMap(([name, s]) =>
      Object.keys(environment(s)).filter((k) => /PASSWORD$|TOKEN$|SECRET$/.test(k)).map((k) => `${name}.${k}`));
    expect(passwords).toEqual([]);
  });

  it('passes the project checker', () => {
    expect(config.problems).toEqual([]);
  });

  it('never uses a single-file subPath-style bind of monitor.yaml', () => {
    expect(findKeys(compose, 'subPath')).toEqual([]);
    const binds = Object.values(services).flatMap((s) => (s.volumes ?? []) as string[]);
    expect(binds.filter((b) => /monitor\.yaml/.test(b))).toEqual([]);
  });
});
