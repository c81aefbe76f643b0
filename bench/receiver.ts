// Section 1: receiver throughput and ack latency. The same load (autocannon, 20 connections, every
// request a distinct signed ~1.5 KB push) against, in turn: the floor (bench/floor.ts), `monitor
// serve` (durable SQLite intake + dedupe, with its worker, sender and reconcile running), and
// adnanh/webhook executing /bin/true. Each target gets a short warm-up first (JIT, connection pools).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { deliverySource, type DeliverySource } from './lib/body.ts';
import { load, type LoadResult } from './lib/load.ts';
import { HOOK_SECRET } from './lib/serve.ts';
import { startBenchWorld } from './lib/world.ts';
import { ensureWebhook, startWebhook } from './lib/webhook.ts';
import { fmt, type Row, type SectionResult } from './lib/report.ts';

export interface ReceiverOptions { seconds: number; warmup: number; connections: number; repos: number; drainLimitSeconds: number; nodeArgs?: string[] }
export const RECEIVER_DEFAULTS: ReceiverOptions = { seconds: 10, warmup: 2, connections: 20, repos: 100, drainLimitSeconds: 60 };

async function measure(url: string, source: DeliverySource, o: ReceiverOptions): Promise<LoadResult> {
  if (o.warmup > 0) await load({ url, source, connections: o.connections, duration: o.warmup });
  return load({ url, source, connections: o.connections, duration: o.seconds });
}

async function floor(source: DeliverySource, o: ReceiverOptions): Promise<LoadResult> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./floor.ts', import.meta.url)), HOOK_SECRET], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  void exited.then(() => process.off('exit', orphanGuard));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d) => resolve(JSON.parse(String(d)).url));
      child.once('exit', (c) => reject(new Error(`floor server exited (${c})`)));
    });
    return await measure(`${url}/webhook/gitea`, source, o);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

interface Backlog { pendingAtEnd: number | null; drainSeconds: number | null }

async function monitor(source: DeliverySource, o: ReceiverOptions): Promise<LoadResult & { rssMiB: number; backlog: Backlog }> {
  // 60 s window (the default): after each repo's first notice, pushes are held for its digest.
  const world = await startBenchWorld({ repos: o.repos, window: '60s', nodeArgs: o.nodeArgs });
  try {
    const r = await measure(world.serve.publicUrl, source, o);
    const rssMiB = world.serve.memory().rssMiB;
    // A 202 means stored, not processed: how far behind is the worker, and how fast does it catch up?
    const pendingAtEnd = world.serve.pendingDeliveries();
    const t0 = performance.now();
    let drainSeconds: number | null = null;
    while (pendingAtEnd !== null && performance.now() - t0 < o.drainLimitSeconds * 1000) {
      if (world.serve.pendingDeliveries() === 0) {
        drainSeconds = (performance.now() - t0) / 1000;
        break;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    return { ...r, rssMiB, backlog: { pendingAtEnd, drainSeconds } };
  } finally {
    await world.stop();
  }
}

const line = (r: LoadResult) => {
  const other = Object.entries(r.status).filter(([s]) => s !== '202');
  const bad = other.length || r.errors ? ` (${[...other.map(([s, n]) => `${fmt(n)}× ${s}`), ...(r.errors ? [`${r.errors} errors`] : [])].join(', ')})` : '';
  return `${fmt(r.reqPerSec)} req/s, p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms${bad}`;
};

export async function receiverBench(o: ReceiverOptions = RECEIVER_DEFAULTS): Promise<SectionResult> {
  const source = deliverySource(HOOK_SECRET, o.repos);
  const f = await floor(source, o);
  const m = await monitor(source, o);
  const wh = ensureWebhook();
  let w: LoadResult | null = null;
  let whError = wh.ok ? '' : wh.reason;
  if (wh.ok) {
    try {
      const server = await startWebhook(HOOK_SECRET, wh.version);
      try {
        w = await measure(server.url, source, o);
      } finally {
        await server.stop();
      }
    } catch (e) {
      whError = (e as Error).message;
    }
  }
  const S = 'receiver';
  const vsFloor = m.reqPerSec / f.reqPerSec;
  const vsWebhook = w ? m.reqPerSec / w.reqPerSec : NaN;
  const rows: Row[] = [
    { section: S, measure: `floor: node:http, HMAC + JSON.parse + 202`, result: line(f), goal: '', met: null },
    { section: S, measure: `monitor serve: durable intake + dedupe`, result: line(m), goal: '', met: null },
    {
      section: S,
      measure: 'monitor serve: worker backlog after the run',
      result: m.backlog.pendingAtEnd === null ? 'n/a (database not readable)'
        : `${fmt(m.backlog.pendingAtEnd)} stored, not yet processed; ${m.backlog.drainSeconds === null ? `not drained within ${o.drainLimitSeconds} s` : `drained in ${fmt(m.backlog.drainSeconds, 1)} s (${fmt(m.backlog.pendingAtEnd / Math.max(m.backlog.drainSeconds, 0.001))}/s)`}`,
      goal: '',
      met: null,
    },
    { section: S, measure: `adnanh/webhook ${wh.ok ? wh.version : ''}: HMAC rule, exec /bin/true`.replace('  ', ' '), result: w ? line(w) : whError, goal: '', met: null },
    // Goals of issue 13 (same run): ≥ 0.25× the floor and ≥ 2× adnanh/webhook, acked and processed.
    { section: S, measure: 'monitor / floor (req/s)', result: `${vsFloor.toFixed(2)}×`, goal: '≥ 0.25×', met: vsFloor >= 0.25 },
    { section: S, measure: 'monitor / webhook (req/s)', result: w ? `${vsWebhook.toFixed(2)}×` : 'n/a', goal: '≥ 2×', met: w ? vsWebhook >= 2 : null },
  ];
  return {
    name: S,
    rows,
    data: { options: o, floor: f, monitor: m, webhook: w ?? { error: whError }, ratios: { monitorOverFloor: vsFloor, monitorOverWebhook: w ? vsWebhook : null } },
  };
}
