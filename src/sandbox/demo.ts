// `monitor demo`: the whole product with no infrastructure. A Gitea stand-in (org dataforge, four
// repos) and a homeserver stand-in (#fn-registry-news) on loopback, a monitor.yaml written to a temp
// folder and loaded like any other, the real daemon (reconcile installs the hooks), then simulated
// activity delivered exactly as Gitea delivers it; each notice is printed as the room got it.
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port.ts';
import { randomBytes } from 'node:crypto';
import { createGiteaSandbox } from './gitea/index.ts';
import { createHomeserverSandbox } from './homeserver/index.ts';
import { loadConfig } from '../config/load.ts';
import { startDaemon, type Daemon } from '../runtime/daemon.ts';
import { superviseHooks } from '../runtime/hooks.ts';
import { mountDashboard } from '../dashboard/mount.ts';
import { dashboardLink } from '../dashboard/auth.ts';
import { createLogger } from '../log.ts';
import type { CliIO } from '../cli/io.ts';

export interface DemoOptions {
  /** Stop once the scenario's notices have arrived (tests, CI) instead of running until Ctrl-C. */
  exit: boolean;
  window: string;
}

const ROOM = '#fn-registry-news:localhost';


function configText(o: { gitea: string; hs: string; port: number; window: string }): string {
  return `# written by \`monitor demo\`; the same format as any monitor.yaml
version: 1
gitea: { url: ${o.gitea}, token: { env: DEMO_GITEA_TOKEN } }
webhook:
  public_url: http://127.0.0.1:${o.port}/webhook/gitea
  secret: { env: DEMO_WEBHOOK_SECRET }
  events: [push, create, delete, release]
server: { listen: 127.0.0.1:${o.port} }
matrix:
  homeserver: ${o.hs}
  access_token: { env: DEMO_MATRIX_TOKEN }
  rooms: { news: "${ROOM}" }
repos:
  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news] }
rate_limit: { per_repo_per_room: 1, window: ${o.window} }
ignore: { pushers: [registry-bot], commit_markers: ["[skip notify]"] }
runs: { database: "sqlite:./data/monitor.db" }
state: { driver: fs, base: ./data/state }
reconcile: { interval: 5m }
dashboard: { auth: { token: { env: DEMO_DASHBOARD_TOKEN } } }
`;
}

export async function runDemo(io: CliIO, o: DemoOptions): Promise<number> {
  const secrets = {
    DEMO_GITEA_TOKEN: randomBytes(12).toString('hex'),
    DEMO_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
    DEMO_MATRIX_TOKEN: randomBytes(12).toString('hex'),
    DEMO_DASHBOARD_TOKEN: randomBytes(12).toString('hex'),
  };
  const gitea = createGiteaSandbox({ token: secrets.DEMO_GITEA_TOKEN });
  const g = await gitea.listen();
  gitea.addOrg('dataforge', { fullName: 'DataForge' });
  for (const u of ['alice', 'bob', 'carol', 'registry-bot']) gitea.addUser(u);
  for (const r of ['api', 'web', 'pipelines', 'sandbox-play']) await gitea.addRepo(`dataforge/${r}`);
  const hs = createHomeserverSandbox({ users: [{ token: secrets.DEMO_MATRIX_TOKEN, userId: '@monitor:localhost', deviceId: 'MONITORDEMO' }], rooms: [{ alias: ROOM }] });
  const h = await hs.listen();
  const dir = mkdtempSync(join(tmpdir(), 'monitor-demo-'));
  const port = await freePort();
  const file = join(dir, 'monitor.yaml');
  writeFileSync(file, configText({ gitea: g.url, hs: h.url, port, window: o.window }));
  const env = { ...io.env, ...secrets };
  const loaded = await loadConfig(file, { env, cwd: dir, resolveSecrets: true });
  if (!loaded.ok) {
    for (const p of loaded.problems) io.stderr(`${p.file}:${p.line}:${p.col} ${p.message}\n`);
    return 1;
  }
  const logFile = join(dir, 'monitor.log');
  const log = createWriteStream(logFile);
  const logger = createLogger({ write: (l) => log.write(l + '\n') });
  const say = (t: string) => io.stdout(t + '\n');

  say(`Gitea stand-in     ${g.url}  (org dataforge: api, web, pipelines, sandbox-play)`);
  say(`Homeserver         ${h.url}  (room ${ROOM})`);
  say(`Config             ${file}`);
  say(`Daemon log         ${logFile}`);
  let daemon: Daemon | null = null;
  try {
    daemon = await startDaemon({ config: loaded.config, logger, hooks: superviseHooks, reload: { env, cwd: dir }, mount: mountDashboard });
    say(`Daemon             ${daemon.url}  (webhook ${loaded.config.webhook.publicUrl})`);
    say(`Dashboard          ${dashboardLink(daemon.url, secrets.DEMO_DASHBOARD_TOKEN)}`);
    say(`Runs               npx monitor runs -c ${file}`);
    // Reconcile installs our hook on each declared repo (not on the excluded one).
    const declared = ['dataforge/api', 'dataforge/web', 'dataforge/pipelines'];
    await until(() => declared.every((r) => gitea.hooks(r).some((x) => x.active && x.url === loaded.config.webhook.publicUrl)), 10_000, 'hooks installed');
    say(`\nHooks installed by reconcile on ${declared.join(', ')}; none on dataforge/sandbox-play (excluded).\n`);

    hs.onEvent((_room, ev) => {
      if (ev.type !== 'm.room.message') return;
      const body = String((ev.content as { body?: string }).body ?? '');
      const [first, ...rest] = body.split('\n');
      say(`▸ ${ROOM}  ${first}`);
      for (const line of rest) say(`    ${line}`);
    });

    say('Simulating activity (delivered by the stand-in exactly as Gitea delivers it):');
    const step = async (what: string, fn: () => Promise<unknown>) => (say(`  · ${what}`), await fn());
    await step('alice pushes 3 commits to dataforge/api', () =>
      gitea.push('dataforge/api', { pusher: 'alice', commits: [
        { message: 'Add ingestion endpoint', author: { name: 'Alice Liddell', email: 'alice@example.com' } },
        { message: 'Escape <b>markup</b> & @room mentions in titles', author: { name: 'Alice Liddell', email: 'alice@example.com' } },
        { message: 'Update README', author: { name: 'Bob Builder', email: 'bob@example.com' } },
      ] }));
    await step('bob creates branch feature/login on dataforge/web', () => gitea.createBranch('dataforge/web', 'feature/login', { pusher: 'bob', commits: 2 }));
    await step('carol publishes release v1.0.0 of dataforge/pipelines', () => gitea.publishRelease('dataforge/pipelines', 'v1.0.0', { name: 'Pipelines 1.0', pusher: 'carol' }));
    await step('registry-bot pushes to dataforge/web (ignored pusher: recorded, not announced)', () => gitea.push('dataforge/web', { pusher: 'registry-bot' }));
    await step('alice pushes to dataforge/sandbox-play (excluded: acknowledged, not announced)', () => gitea.push('dataforge/sandbox-play', { pusher: 'alice' }));
    await step(`a burst of 3 more pushes to dataforge/api (rate limit: one digest when the ${o.window} window ends)`, async () => {
      for (const [i, who] of ['bob', 'alice', 'carol'].entries()) await gitea.push('dataforge/api', { pusher: who, commits: i + 1 });
    });
    say('');
    // api notice, web branch, pipelines release (its new tag merged into it), api digest.
    await hs.waitForMessages(ROOM, 4, 30_000 + parseWindowMs(o.window));
    await daemon.settle();
    const runs = await daemon.store.listRuns({ limit: 100 });
    say(`\n${runs.length} runs recorded: ${summary(runs.map((r) => r.status))}. ${hs.messages(ROOM).length} notices in ${ROOM}.`);
    if (o.exit) return 0;
    say('The daemon keeps running: open the dashboard, or press Ctrl-C to stop.');
    await (io.stopSignal ?? new Promise((r) => (process.once('SIGINT', r), process.once('SIGTERM', r))));
    return 0;
  } finally {
    await daemon?.stop();
    await g.close();
    await h.close();
    log.end();
  }
}

function summary(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

function parseWindowMs(w: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(w);
  return m ? Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[m[2]!]! : 60_000;
}

async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
