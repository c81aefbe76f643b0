// Reconcile numbers for the README (not a test): the Gitea stand-in with 1,000 repositories runs
// in its own process; the real CLI (`node bin/monitor.js`) runs a first `apply`, then a no-op
// `plan`. Prints seconds and the API calls the stand-in saw.
//   node bench/reconcile.ts [REPOS]
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOKEN = 'bench-token-0001';
const SECRET = 'bench-secret-0001';
const PAGE = 50;

type Msg = { url: string } | { calls: number };

/** The child: a stand-in with `repos` repositories in org `bench`; answers call counts over IPC. */
async function standIn(repos: number): Promise<void> {
  const { createGiteaSandbox } = await import('../src/sandbox/gitea/index.ts');
  const sandbox = createGiteaSandbox({ token: TOKEN });
  sandbox.addOrg('bench');
  for (let i = 0; i < repos; i++) await sandbox.addRepo(`bench/repo-${String(i).padStart(4, '0')}`);
  const server = await sandbox.listen();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'calls') process.send!({ calls: sandbox.apiCalls.length });
    if (m.cmd === 'stop') void server.close().then(() => process.exit(0));
  });
  process.send!({ url: server.url });
}

function cli(args: string[], config: string): Promise<{ code: number; seconds: number; stderr: string }> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(import.meta.dirname, '../bin/monitor.js'), ...args, '-c', config], {
      env: { ...process.env, GITEA_TOKEN: TOKEN, HOOK_SECRET: SECRET, MATRIX_TOKEN: 'x' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, seconds: (performance.now() - started) / 1000, stderr }));
  });
}

async function main(repos: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--stand-in', String(repos)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () => new Promise<Msg>((r) => child.once('message', (m) => r(m as Msg)));
  const { url } = (await next()) as { url: string };
  const calls = async () => (child.send({ cmd: 'calls' }), ((await next()) as { calls: number }).calls);
  const dir = mkdtempSync(join(tmpdir(), 'monitor-bench-'));
  const config = join(dir, 'monitor.yaml');
  writeFileSync(config, `version: 1
gitea: { url: "${url}", token: { env: GITEA_TOKEN } }
webhook: { public_url: "http://127.0.0.1:9/webhook/gitea", secret: { env: HOOK_SECRET }, events: [push, create, delete, release] }
matrix: { homeserver: "http://127.0.0.1:9", access_token: { env: MATRIX_TOKEN }, rooms: { news: "#news:example.com" } }
repos: [{ match: "bench/*", notify: [news] }]
state: { driver: fs, base: ./state }
`);
  try {
    const pages = Math.ceil(repos / PAGE);
    const rows: string[][] = [];
    let before = await calls();
    const apply = await cli(['apply'], config);
    const applyCalls = (await calls()) - before;
    if (apply.code !== 0) throw new Error(`apply failed (${apply.code}): ${apply.stderr}`);
    rows.push(['first apply', apply.seconds.toFixed(2), String(applyCalls), `< 10 s (${pages} listing pages + ${repos} hook listings + ${repos} creates)`]);
    before = await calls();
    const plan = await cli(['plan'], config);
    const planCalls = (await calls()) - before;
    if (plan.code !== 0) throw new Error(`no-op plan exited ${plan.code}: ${plan.stderr}`);
    rows.push(['no-op plan', plan.seconds.toFixed(2), String(planCalls), `< 2 s, ≤ ${repos + pages} calls (repos + listing pages)`]);
    const head = ['step', 'seconds', 'API calls', 'budget'];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
    console.log(`reconcile over ${repos} repositories (stand-in in its own process, CLI as a child process, Node ${process.version})\n`);
    console.log([line(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n'));
  } finally {
    child.send({ cmd: 'stop' });
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--stand-in');
if (at >= 0) await standIn(Number(process.argv[at + 1]));
else await main(Number(process.argv[2] ?? 1000));
