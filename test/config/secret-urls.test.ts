// runs.database and state.url may come from a secret source, so a PostgreSQL or Redis password
// never sits in monitor.yaml; `monitor runs` resolves runs.database and no other secret.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { main } from '../../src/cli/main.ts';

const BASE = `version: 1
gitea: { url: https://git.example.com, token: { env: GITEA_TOKEN } }
webhook: { public_url: https://monitor.example.com/webhook/gitea, secret: { env: WEBHOOK_SECRET } }
matrix: { homeserver: https://matrix.example.com, access_token: { env: MATRIX_TOKEN }, rooms: { news: "#news:example.com" } }
repos: [{ match: dataforge/*, notify: [news] }]
`;
const ALL = { GITEA_TOKEN: 'g', WEBHOOK_SECRET: 'w', MATRIX_TOKEN: 'm' };
const PG_PASSWORD = 'pg-pass-5ec7e7';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'monitor-secret-urls-'));
  await writeFile(join(dir, 'redis-url'), 'redis://:redis-pass-77aa@127.0.0.1:6379/0\n');
  await writeFile(join(dir, 'secret.yaml'), `${BASE}runs: { database: { env: DATABASE_URL } }\nstate: { driver: redis, url: { file: ./redis-url } }\n`);
  await writeFile(join(dir, 'records.yaml'), `${BASE}runs: { database: { env: DATABASE_URL } }\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runs.database and state.url from a secret source', () => {
  it('resolve to the URLs the stores open; validate without --resolve reads neither', async () => {
    const env = { ...ALL, DATABASE_URL: `postgres://monitor:${PG_PASSWORD}@127.0.0.1:5432/test` };
    const r = await loadConfig('secret.yaml', { env, cwd: dir, resolveSecrets: true });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.runs.database).toBe(env.DATABASE_URL);
    expect(r.config.state.url).toBe('redis://:redis-pass-77aa@127.0.0.1:6379/0');
    expect((await loadConfig('secret.yaml', { env: {}, cwd: dir, resolveSecrets: false })).ok).toBe(true);
  });

  it('a missing source is an error naming the setting, never a value', async () => {
    const r = await loadConfig('secret.yaml', { env: ALL, cwd: dir, resolveSecrets: true });
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual(['6:19 runs.database: environment variable DATABASE_URL is not set']);
  });

  it('monitor runs resolves runs.database only (no Gitea or Matrix secret needed), and prints no password', async () => {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), cwd: dir };
    const code = await main(['runs', '-c', 'records.yaml', '--json'], { ...io, env: { DATABASE_URL: 'sqlite:./records.db' } });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ nodes: [], runs: [] });
    out = '';
    expect(await main(['runs', '-c', 'records.yaml'], { ...io, env: {} })).toBe(1);
    expect(out).toBe('records.yaml:6:19 runs.database: environment variable DATABASE_URL is not set\n');
    expect(inspect(out)).not.toContain(PG_PASSWORD);
  });
});
