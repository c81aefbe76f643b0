// Section 3: reconcile over 1,000 repositories. The Gitea stand-in runs in its own process; the
// real CLI (`node bin/monitor.js`) runs a first `apply`, then a no-op `plan`. Seconds are wall
// time of the CLI process (start-up included); API calls are what the stand-in saw.
//   node bench/reconcile.ts [REPOS]      (alone; or `node bench/run.ts reconcile`)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIns, GITEA_TOKEN } from './lib/standins.ts';
import { fmt, table, type SectionResult } from './lib/report.ts';

const SECRET = 'bench-secret-0001';
/** The page size the daemon asks Gitea for (Gitea's default MAX_RESPONSE_ITEMS is 50). */
const PAGE = 50;
const BIN = fileURLToPath(new URL('../bin/monitor.js', import.meta.url));

function cli(args: string[], config: string): Promise<{ code: number; seconds: number; stderr: string }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args, '-c', config], {
      env: { ...process.env, GITEA_TOKEN, HOOK_SECRET: SECRET, MATRIX_TOKEN: 'x' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, seconds: (performance.now() - started) / 1000, stderr }));
  });
}

export async function reconcileBench(repos = 1000): Promise<SectionResult> {
  const standIns = await startStandIns(repos);
  const dir = mkdtempSync(join(tmpdir(), 'monitor-bench-'));
  const config = join(dir, 'monitor.yaml');
  writeFileSync(config, `version: 1
gitea: { url: "${standIns.gitea}", token: { env: GITEA_TOKEN } }
webhook: { public_url: "http://127.0.0.1:9/webhook/gitea", secret: { env: HOOK_SECRET }, events: [push, create, delete, release] }
matrix: { homeserver: "http://127.0.0.1:9", access_token: { env: MATRIX_TOKEN }, rooms: { news: "#news:example.com" } }
repos: [{ match: "bench/*", notify: [news] }]
state: { driver: fs, base: ./state }
`);
  try {
    const pages = Math.ceil(repos / PAGE);
    let before = await standIns.calls();
    const apply = await cli(['apply'], config);
    const applyCalls = (await standIns.calls()) - before;
    if (apply.code !== 0) throw new Error(`apply failed (${apply.code}): ${apply.stderr}`);
    const hooks = await standIns.hooks('http://127.0.0.1:9/webhook/gitea');
    before = await standIns.calls();
    const plan = await cli(['plan'], config);
    const planCalls = (await standIns.calls()) - before;
    if (plan.code !== 0) throw new Error(`no-op plan exited ${plan.code} (0 = no changes): ${plan.stderr}`);
    const S = 'reconcile';
    const budget = repos + pages;
    return {
      name: S,
      rows: [
        {
          section: S,
          measure: `first apply, ${fmt(repos)} repos (CLI process)`,
          result: `${apply.seconds.toFixed(2)} s, ${fmt(applyCalls)} API calls, ${fmt(hooks)} hooks created`,
          goal: '< 10 s',
          met: apply.seconds < 10 && hooks === repos,
        },
        {
          section: S,
          measure: `no-op plan, ${fmt(repos)} repos (CLI process)`,
          result: `${plan.seconds.toFixed(2)} s, ${fmt(planCalls)} API calls`,
          goal: `< 2 s, ≤ ${fmt(budget)} calls`,
          met: plan.seconds < 2 && planCalls <= budget,
        },
      ],
      data: { repos, listingPages: pages, apply: { seconds: apply.seconds, apiCalls: applyCalls, hooksCreated: hooks }, plan: { seconds: plan.seconds, apiCalls: planCalls, budget } },
    };
  } finally {
    await standIns.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const r = await reconcileBench(Number(process.argv[2] ?? 1000));
  console.log(table(r.rows));
}
