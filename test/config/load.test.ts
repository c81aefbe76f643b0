import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/config.ts';
import { loadConfig, type LoadResult } from '../../src/config/load.ts';
import { parseDuration, parseSize } from '../../src/duration.ts';
import schema from '../../schema/monitor.schema.json' with { type: 'json' };

const ROOT = new URL('../../', import.meta.url).pathname;
const MINIMAL = `version: 1
gitea: { url: https://git.example.com/, token: { env: T } }
webhook: { public_url: https://monitor.example.com/webhook/gitea, secret: { env: T } }
matrix: { homeserver: https://matrix.example.com/, access_token: { env: T }, rooms: { news: "#news:example.com" } }
repos: [{ match: dataforge/*, notify: [news] }]
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'monitor-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string, name = 'monitor.yaml', cwd = dir): Promise<LoadResult> {
  await mkdir(join(cwd, name, '..'), { recursive: true });
  await writeFile(join(cwd, name), text);
  return loadConfig(name, { env: {}, cwd, resolveSecrets: false });
}

function ok(r: LoadResult) {
  if (!r.ok) throw new Error(`expected a config, got ${JSON.stringify(r.problems)}`);
  return r.config;
}

describe('loadConfig', () => {
  it('loads the example monitor.yaml without secrets, with placeholders', async () => {
    const cfg = ok(await loadConfig('monitor.yaml', { env: {}, cwd: ROOT, resolveSecrets: false }));
    expect(cfg.file).toBe(join(ROOT, 'monitor.yaml'));
    expect(cfg.dir).toBe(ROOT.replace(/\/$/, ''));
    expect(cfg.hash).toBe(createHash('sha256').update(await readFile(join(ROOT, 'monitor.yaml'))).digest('hex'));
    expect(cfg.gitea.token.reveal()).toBe('');
    expect(cfg.repos[0]).toEqual({ match: 'dataforge/*', exclude: ['dataforge/sandbox-*'], notify: ['news'], branches: ['*'], events: null, scope: 'repo' });
    expect(cfg.matrix.rooms).toEqual({ news: '#fn-registry-news:example.com' });
    expect(cfg.triggers.map((t) => t.name)).toEqual(['dag_engine']);
    expect(cfg.dashboard.token).not.toBeNull();
  });

  it('fills in the defaults the schema documents', async () => {
    const cfg = ok(await load(MINIMAL));
    const p = schema.properties;
    const d = schema.$defs;
    expect(cfg.gitea.timeoutMs).toBe(parseDuration(p.gitea.properties.timeout.default));
    expect(cfg.gitea.concurrency).toBe(p.gitea.properties.concurrency.default);
    expect(cfg.webhook.events).toEqual(p.webhook.properties.events.default);
    expect(cfg.webhook.previousSecrets).toEqual([]);
    expect(cfg.webhook.branchFilter).toBe(p.webhook.properties.branch_filter.default);
    expect(cfg.webhook.contentType).toBe(p.webhook.properties.content_type.default);
    expect(`${cfg.server.host}:${cfg.server.port}`).toBe(p.server.properties.listen.default);
    expect(cfg.server.bodyLimit).toBe(parseSize(p.server.properties.body_limit.default));
    expect(cfg.server.drainTimeoutMs).toBe(parseDuration(p.server.properties.drain_timeout.default));
    expect(cfg.server.inflightBodyLimit).toBe(parseSize(p.server.properties.inflight_body_limit.default));
    expect(cfg.server.bodyTimeoutMs).toBe(parseDuration(p.server.properties.body_timeout.default));
    expect(cfg.server.headersTimeoutMs).toBe(parseDuration(p.server.properties.headers_timeout.default));
    expect(cfg.server.maxConnections).toBe(p.server.properties.max_connections.default);
    expect(cfg.matrix.msgtype).toBe(p.matrix.properties.msgtype.default);
    expect(cfg.matrix.giveUpAfterMs).toBe(parseDuration(p.matrix.properties.give_up_after.default));
    expect(cfg.repos[0]!.branches).toEqual(d.repoRule.properties.branches.default);
    expect(cfg.repos[0]!.scope).toBe(d.repoRule.properties.scope.default);
    expect(cfg.rateLimit).toEqual({ perRepoPerRoom: p.rate_limit.properties.per_repo_per_room.default, windowMs: parseDuration(p.rate_limit.properties.window.default), tagGraceMs: parseDuration(p.rate_limit.properties.tag_grace.default) });
    expect(cfg.runs.database).toBe(`sqlite:${join(dir, p.runs.properties.database.default.slice('sqlite:'.length))}`);
    expect(cfg.state).toEqual({ driver: p.state.properties.driver.default, base: join(dir, p.state.properties.base.default), url: null, prefix: p.state.properties.prefix.default });
    expect(cfg.reconcile).toEqual({ intervalMs: parseDuration(p.reconcile.properties.interval.default), prune: p.reconcile.properties.prune.default, verifyWithinMs: parseDuration(p.reconcile.properties.verify_within.default) });
    expect(cfg.triggers).toEqual([]);
    expect(cfg.templates).toEqual({});
    expect(cfg.dashboard.token).toBeNull();
    // config.ts's DEFAULTS say the same as the schema
    expect([cfg.gitea.timeoutMs, cfg.server.bodyLimit, cfg.matrix.giveUpAfterMs, cfg.reconcile.intervalMs])
      .toEqual([DEFAULTS.giteaTimeoutMs, DEFAULTS.bodyLimit, DEFAULTS.giveUpAfterMs, DEFAULTS.reconcileIntervalMs]);
  });

  it('trims the trailing slash of base URLs', async () => {
    const cfg = ok(await load(MINIMAL));
    expect([cfg.gitea.url, cfg.matrix.homeserver]).toEqual(['https://git.example.com', 'https://matrix.example.com']);
  });

  it('resolves relative paths against the config file folder, not the working folder', async () => {
    const text = `${MINIMAL}runs: { database: "sqlite:db/runs.db" }\nstate: { driver: fs, base: ../state }\n`;
    const cfg = ok(await load(text, 'etc/monitor/monitor.yaml'));
    expect(cfg.file).toBe(join(dir, 'etc/monitor/monitor.yaml'));
    expect(cfg.runs.database).toBe(`sqlite:${join(dir, 'etc/monitor/db/runs.db')}`);
    expect(cfg.state.base).toBe(join(dir, 'etc/state'));
  });

  it.each([
    ['sqlite::memory:', 'sqlite::memory:'],
    ['sqlite:/var/lib/monitor/runs.db', 'sqlite:/var/lib/monitor/runs.db'],
    ['postgres://monitor@db/monitor', 'postgres://monitor@db/monitor'],
  ])('keeps database %s as written', async (database, expected) => {
    expect(ok(await load(`${MINIMAL}runs: { database: "${database}" }\n`)).runs.database).toBe(expected);
  });

  it.each([
    ['127.0.0.1:9000', '127.0.0.1', 9000],
    ['"[::1]:8443"', '::1', 8443],
    ['"[::]:0"', '::', 0],
    ['localhost:80', 'localhost', 80],
  ])('splits listen %s', async (listen, host, port) => {
    const cfg = ok(await load(`${MINIMAL}server: { listen: ${listen}, body_limit: 1048576, drain_timeout: 0s }\n`));
    expect(cfg.server).toMatchObject({ host, port, bodyLimit: 1048576, drainTimeoutMs: 0, publicHealthDetails: false });
  });

  it('normalises rules, templates and triggers', async () => {
    const text = `${MINIMAL.replace('repos: [{ match: dataforge/*, notify: [news] }]', 'repos: [{ match: dataforge/api, notify: [news], events: [push], scope: org, branches: [main] }]')}
templates:
  push: { text: "{{ actor }} pushed" }
  release: { text: "{{ release.name }}", html: "<b>{{ release.name }}</b>" }
triggers:
  - { name: dag, url: "http://dag.internal/t", secret: { env: T }, include_ignored: true, repos: [dataforge/api], events: [push, release] }
`;
    const cfg = ok(await load(text));
    expect(cfg.repos).toEqual([{ match: 'dataforge/api', exclude: [], notify: ['news'], branches: ['main'], events: ['push'], scope: 'org' }]);
    expect(cfg.templates).toEqual({ push: { text: '{{ actor }} pushed' }, release: { text: '{{ release.name }}', html: '<b>{{ release.name }}</b>' } });
    expect(cfg.triggers[0]).toMatchObject({ name: 'dag', url: 'http://dag.internal/t', includeIgnored: true, repos: ['dataforge/api'], events: ['push', 'release'] });
  });

  it('returns a deeply frozen config', async () => {
    const cfg = ok(await load(MINIMAL));
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.repos[0]!.notify)).toBe(true);
    expect(Object.isFrozen(cfg.matrix.rooms)).toBe(true);
    expect(() => (cfg.repos[0]!.notify as string[]).push('x')).toThrow(TypeError);
    expect(() => { (cfg.server as { port: number }).port = 1; }).toThrow(TypeError);
  });

  it('reports an invalid file with its problems, not as unreadable', async () => {
    const r = await load(MINIMAL.replace('notify: [news]', 'notify: [nope]'));
    expect(r).toEqual({ ok: false, problems: [{ file: 'monitor.yaml', line: 5, col: 40, message: 'repos[0].notify[0]: unknown room "nope" (matrix.rooms has: news)' }] });
  });

  it('says a missing file or a folder cannot be read', async () => {
    expect(await loadConfig('nope.yaml', { env: {}, cwd: dir, resolveSecrets: false }))
      .toEqual({ ok: false, unreadable: true, problems: [{ file: 'nope.yaml', line: 1, col: 1, message: 'cannot read: no such file' }] });
    const folder = await loadConfig('.', { env: {}, cwd: dir, resolveSecrets: false });
    expect(folder).toMatchObject({ ok: false, unreadable: true, problems: [{ message: 'cannot read: is a folder, not a file' }] });
  });

  it('rejects bytes that are not UTF-8', async () => {
    await writeFile(join(dir, 'latin1.yaml'), Buffer.from([0x76, 0x3a, 0x20, 0xe9, 0x0a]));
    const r = await loadConfig('latin1.yaml', { env: {}, cwd: dir, resolveSecrets: false });
    expect(r).toEqual({ ok: false, problems: [{ file: 'latin1.yaml', line: 1, col: 1, message: 'is not UTF-8 text' }] });
  });
});
