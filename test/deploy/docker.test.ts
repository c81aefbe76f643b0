// deploy/docker: the Dockerfile's instructions, its HEALTHCHECK run for real against a loopback
// server, the .dockerignore allow-list against the COPY lines, and the example monitor.yaml.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configArg, dockerEnv, execForm, monitorFacts, parseDockerfile, read, ROOT } from './manifests.ts';

const instructions = parseDockerfile(read('deploy/docker/Dockerfile'));
const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const last = (keyword: string) => all(keyword).at(-1);
const env = dockerEnv(instructions);
const config = monitorFacts(read('deploy/docker/monitor.yaml'), 'deploy/docker/monitor.yaml');

/** HEALTHCHECK [--flags] CMD ... -> the flags and the exec-form command. */
function healthcheck(): { flags: Record<string, string>; cmd: string[] } {
  const args = last('HEALTHCHECK')!;
  const at = args.indexOf('CMD ');
  const flags = Object.fromEntries([...args.slice(0, at).matchAll(/--([a-z-]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const cmd = execForm(args.slice(at + 4));
  if (!cmd) throw new Error('HEALTHCHECK must use the exec form (no shell needed in the image)');
  return { flags, cmd };
}

describe('Dockerfile', () => {
  it('builds on node:24-slim and installs production dependencies only', () => {
    expect(all('FROM')).toEqual(['node:24-slim']);
    expect(all('RUN').some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(env.NODE_ENV).toBe('production');
  });

  it('runs as a numeric non-root user', () => {
    const user = last('USER')!;
    expect(user).toMatch(/^\d+(:\d+)?$/); // numeric, so Kubernetes' runAsNonRoot can check it
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
  });

  it('exposes the port monitor.yaml listens on, and health-checks that port', () => {
    expect(all('EXPOSE')).toEqual([String(config.listen.port)]);
    const url = new URL(env.MONITOR_HEALTH_URL!);
    expect(url.pathname).toBe('/-/ready'); // one check for compose's service_healthy and `docker ps`: readiness
    expect(Number(url.port)).toBe(config.listen.port);
    expect(url.hostname).toBe('127.0.0.1');
  });

  it('stops with SIGTERM and serves the config from /etc/monitor', () => {
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
    expect(execForm(last('ENTRYPOINT')!)).toEqual(['node', 'bin/monitor.js']);
    const cmd = execForm(last('CMD')!)!;
    expect(cmd[0]).toBe('serve');
    expect(configArg(cmd)).toBe('/etc/monitor/monitor.yaml');
  });

  it('keeps the data volume where monitor.yaml writes', () => {
    const volumes = all('VOLUME').flatMap((v) => execForm(v) ?? v.split(/\s+/));
    expect(volumes).toEqual(['/var/lib/monitor']);
    expect(config.database).toBe('sqlite:/var/lib/monitor/monitor.db');
    expect(config.state.base!.startsWith('/var/lib/monitor/')).toBe(true);
  });

  it('copies the sources the daemon loads (there is no build step)', () => {
    const sources = all('COPY').flatMap((c) => c.split(/\s+/).slice(0, -1));
    for (const needed of ['package.json', 'package-lock.json', 'bin', 'src', 'schema']) expect(sources).toContain(needed);
    for (const s of sources) expect(existsSync(ROOT + s), s).toBe(true);
  });
});

describe('.dockerignore', () => {
  const lines = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('excludes everything and lets back exactly what the COPY lines use', () => {
    expect(lines[0]).toBe('*');
    const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1)).sort();
    const copied = all('COPY').flatMap((c) => c.split(/\s+/).slice(0, -1)).sort();
    expect(allowed).toEqual(copied);
  });
});

describe('HEALTHCHECK command', () => {
  let status = 200;
  const paths: string[] = [];
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/-/ready`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Runs the image's check command (with this node) and resolves its exit code. */
  function probe(target: string): Promise<number | null> {
    const { cmd } = healthcheck();
    expect(cmd[0]).toBe('node');
    const child = spawn(process.execPath, cmd.slice(1), { env: { ...process.env, MONITOR_HEALTH_URL: target }, stdio: 'ignore' });
    return new Promise((resolve) => child.on('close', resolve));
  }

  it('has a start period and a timeout', () => {
    const { flags } = healthcheck();
    expect(flags['start-period']).toMatch(/^\d+s$/);
    expect(flags.timeout).toMatch(/^\d+s$/);
  });

  it('passes on 200 (ready: ok or degraded, store answering)', async () => {
    status = 200;
    expect(await probe(url)).toBe(0);
    expect(paths.at(-1)).toBe('/-/ready');
  });

  it('fails on 503 (starting, draining, store gone)', async () => {
    status = 503;
    expect(await probe(url)).toBe(1);
  });

  it('fails when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await probe(`http://127.0.0.1:${port}/-/ready`)).toBe(1);
  });
});

describe('docker monitor.yaml', () => {
  it('passes the project checker and reads secrets from /run/secrets', () => {
    expect(config.problems).toEqual([]);
    expect(config.nonFileSecrets).toEqual([]);
    for (const f of config.secretFiles) expect(f.startsWith('/run/secrets/'), f).toBe(true);
  });
});
