// A whole world for end-to-end tests: the Gitea stand-in (org dataforge with repos), the homeserver
// stand-in (room #fn-registry-news), a monitor.yaml written to a temp folder and loaded through the
// real loader, and the daemon — in-process (startDaemon) or as a real `monitor serve` child process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/net/free-port.ts';
export { freePort };
import { createGiteaSandbox, type GiteaSandbox } from '../../src/sandbox/gitea/index.ts';
import { createHomeserverSandbox, type HomeserverSandbox } from '../../src/sandbox/homeserver/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/config.ts';
import { startDaemon, type Daemon, type DaemonOptions } from '../../src/runtime/daemon.ts';
import { memoryLogger } from '../../src/log.ts';

export const SECRETS = {
  GITEA_TOKEN: 'gitea-token-5f0c1d0a9e',
  WEBHOOK_SECRET: 'webhook-secret-7b1e44c2d3',
  MATRIX_TOKEN: 'matrix-token-91a2b3c4d5',
  DASHBOARD_TOKEN: 'dashboard-token-0e1f2a3b',
};
/** A Gitea token with every scope, for a test to act as an admin when gitea.token is narrower. */
export const ADMIN_TOKEN = 'gitea-admin-token-3c4d5e6f';
export const ROOM = '#fn-registry-news:localhost';


export interface WorldOptions {
  repos?: string[];
  /** Extra YAML appended to monitor.yaml (top-level keys not otherwise written). */
  extraYaml?: string;
  window?: string;
  /** rate_limit.tag_grace (default: the product's default). */
  tagGrace?: string;
  repoRules?: string;
  database?: string;
  state?: string;
  /** The scope of gitea.token on the Gitea stand-in (default `all`). */
  tokenScope?: string;
}

export interface World {
  gitea: GiteaSandbox;
  hs: HomeserverSandbox;
  dir: string;
  configFile: string;
  port: number;
  publicUrl: string;
  env: Record<string, string>;
  writeConfig(o?: WorldOptions): string;
  load(): Promise<Config>;
  /** Installs our hook on each repo through Gitea's API (what reconcile would do). */
  installHooks(repos?: string[], secret?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(o: WorldOptions = {}): Promise<World> {
  const gitea = createGiteaSandbox({ token: SECRETS.GITEA_TOKEN, tokens: { [ADMIN_TOKEN]: 'all' }, ...(o.tokenScope ? { tokenScope: o.tokenScope } : {}) });
  const g = await gitea.listen();
  gitea.addOrg('dataforge');
  for (const u of ['alice', 'bob', 'registry-bot']) gitea.addUser(u);
  const repos = o.repos ?? ['dataforge/api', 'dataforge/web', 'dataforge/pipelines', 'dataforge/sandbox-play'];
  for (const r of repos) await gitea.addRepo(r);
  const hs = createHomeserverSandbox({ users: [{ token: SECRETS.MATRIX_TOKEN, userId: '@monitor:localhost', deviceId: 'MONITOR1' }], rooms: [{ alias: ROOM }] });
  const h = await hs.listen();
  const dir = mkdtempSync(join(tmpdir(), 'grm-world-'));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/webhook/gitea`;
  const configFile = join(dir, 'monitor.yaml');
  const env = { ...SECRETS };
  const writeConfig = (w: WorldOptions = o) => {
    writeFileSync(
      configFile,
      `version: 1
gitea: { url: ${gitea.url}, token: { env: GITEA_TOKEN } }
webhook:
  public_url: ${publicUrl}
  secret: { env: WEBHOOK_SECRET }
server: { listen: 127.0.0.1:${port}, drain_timeout: 5s }
matrix:
  homeserver: ${hs.url}
  access_token: { env: MATRIX_TOKEN }
  rooms: { news: "${ROOM}" }
repos:
${w.repoRules ?? '  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news] }'}
rate_limit: { per_repo_per_room: 1, window: ${w.window ?? '60s'}${w.tagGrace ? `, tag_grace: ${w.tagGrace}` : ''} }
ignore: { pushers: [registry-bot], commit_markers: ["[skip notify]"] }
runs: { database: "${w.database ?? 'sqlite:./data/monitor.db'}" }
state: ${w.state ?? '{ driver: fs, base: ./data/state }'}
reconcile: { interval: 1h }
${w.extraYaml ?? ''}
`,
    );
    return configFile;
  };
  writeConfig(o);
  return {
    gitea, hs, dir, configFile, port, publicUrl, env, writeConfig,
    async load() {
      const r = await loadConfig(configFile, { env, cwd: dir, resolveSecrets: true });
      if (!r.ok) throw new Error('test config invalid: ' + r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('; '));
      return r.config;
    },
    async installHooks(list = repos, secret = SECRETS.WEBHOOK_SECRET) {
      for (const repo of list) {
        const res = await fetch(`${gitea.url}/api/v1/repos/${repo}/hooks`, {
          method: 'POST',
          headers: { authorization: `token ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'gitea', active: true, events: ['push', 'create', 'delete', 'release'], config: { url: publicUrl, content_type: 'json', secret } }),
        });
        if (res.status !== 201) throw new Error(`hook create ${repo}: ${res.status}`);
      }
    },
    async close() {
      await g.close();
      await h.close();
    },
  };
}

/** The daemon in-process on the world's config (logs kept in memory). */
export async function startWorldDaemon(w: World, extra: Partial<DaemonOptions> = {}): Promise<Daemon & { logs: ReturnType<typeof memoryLogger> }> {
  const logs = memoryLogger('debug');
  const d = await startDaemon({ config: await w.load(), logger: logs, ...extra });
  return Object.assign(d, { logs });
}
