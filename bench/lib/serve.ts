// `monitor serve` as a child process for the benches: a temp folder with its own monitor.yaml,
// SQLite database and state, logs to a file (a pipe would make the bench process pay for reading
// them), ready when GET /webhook/health answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GITEA_TOKEN, MATRIX_TOKEN, BENCH_ROOM } from './standins.ts';

export const HOOK_SECRET = 'bench-hook-secret-0001';
const BIN = fileURLToPath(new URL('../../bin/monitor.js', import.meta.url));

export interface ServeOptions {
  gitea: string;
  homeserver: string;
  /** rate_limit.window, e.g. "1s" or "60s". */
  window: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export interface Serve {
  url: string;
  publicUrl: string;
  pid: number;
  dir: string;
  /** ms from spawn() to the first 200 from /webhook/health. */
  readyMs: number;
  /** VmRSS and VmHWM (peak) of the process, in MiB. */
  memory(): { rssMiB: number; peakMiB: number };
  /** V8 heap used / total in MiB, from the daemon's own /metrics (prom-client default metrics). */
  heap(): Promise<{ heapUsedMiB: number; heapTotalMiB: number; threadHeapUsedMiB: number; threadHeapTotalMiB: number }>;
  /** Stored deliveries the worker has not processed yet (read-only look into its SQLite file); null if unreadable. */
  pendingDeliveries(): number | null;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function configYaml(o: ServeOptions & { port: number }): string {
  return `version: 1
gitea: { url: "${o.gitea}", token: { env: GITEA_TOKEN } }
webhook:
  public_url: http://127.0.0.1:${o.port}/webhook/gitea
  secret: { env: HOOK_SECRET }
  events: [push, create, delete, release]
server: { listen: 127.0.0.1:${o.port}, drain_timeout: 5s }
matrix:
  homeserver: "${o.homeserver}"
  access_token: { env: MATRIX_TOKEN }
  rooms: { news: "${BENCH_ROOM}" }
repos:
  - { match: "bench/*", notify: [news] }
rate_limit: { per_repo_per_room: 1, window: ${o.window} }
runs: { database: "sqlite:./data/monitor.db" }
state: { driver: fs, base: ./data/state }
reconcile: { interval: 1h }
`;
}

function readStatusMiB(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Polls GET url until 200, every 5 ms, for at most `timeoutMs`; rejects if the child exits first. */
export async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`monitor serve exited (${child.exitCode ?? child.signalCode}): ${tail(logFile)}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`monitor serve not healthy after ${timeoutMs} ms: ${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startServe(o: ServeOptions): Promise<Serve> {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-bench-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const config = join(dir, 'monitor.yaml');
  writeFileSync(config, configYaml({ ...o, port }));
  const logFile = join(dir, 'monitor.log');
  const out = openSync(logFile, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), BIN, 'serve', '-c', config], {
    cwd: dir,
    env: { ...process.env, GITEA_TOKEN, MATRIX_TOKEN, HOOK_SECRET, MONITOR_FROM_DIST: '1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // If the bench dies (an exception, a closed stdout pipe), the daemon must not outlive it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(`${url}/webhook/health`, child, 20_000, logFile);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const readyMs = performance.now() - started;
  return {
    url,
    publicUrl: `${url}/webhook/gitea`,
    pid: child.pid!,
    dir,
    readyMs,
    memory: () => ({ rssMiB: readStatusMiB(child.pid!, 'VmRSS'), peakMiB: readStatusMiB(child.pid!, 'VmHWM') }),
    async heap() {
      const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
      return {
        heapUsedMiB: gauge('nodejs_heap_size_used_bytes'), heapTotalMiB: gauge('nodejs_heap_size_total_bytes'),
        threadHeapUsedMiB: gauge('monitor_processing_thread_heap_bytes\\{kind="used"\\}'), threadHeapTotalMiB: gauge('monitor_processing_thread_heap_bytes\\{kind="total"\\}'),
      };
    },
    pendingDeliveries() {
      try {
        const db = new DatabaseSync(join(dir, 'data', 'monitor.db'), { readOnly: true });
        try {
          return Number((db.prepare("SELECT COUNT(*) AS n FROM monitor_deliveries WHERE status = 'pending'").get() as { n: number }).n);
        } finally {
          db.close();
        }
      } catch {
        return null;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}
