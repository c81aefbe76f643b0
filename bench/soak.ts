// The soak: `monitor serve` (own process, the deploy units' heap flag) flooded for SOAK_SECONDS
// (default 60) with unsigned junk (random event names, 12 KB headers), slow bodies, oversize bodies,
// bursts of large signed bodies,
// replays of a delivered push and valid pushes from the Gitea stand-in (own process), then prints
// crashes, RSS before/peak/after, valid pushes announced exactly once, and the /metrics series count.
//   npm run soak            SOAK_SECONDS=20 npm run soak
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pushBody, repoName, sign } from './lib/body.ts';
import { HOOK_SECRET } from './lib/serve.ts';
import { startBenchWorld } from './lib/world.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
/** The heap flag of deploy/ (systemd, Docker, Kubernetes): the soak must pass under it. */
const HEAP_FLAG = '--max-old-space-size=128';
const REPOS = 50;
const MiB = 2 ** 20;

// The deploy units' allocator settings: few arenas, and large buffers (bodies) mmapped so that
// freeing them returns the memory to the system instead of growing the malloc heap.
process.env.MALLOC_ARENA_MAX = '2';
process.env.MALLOC_MMAP_THRESHOLD_ = '131072';
const world = await startBenchWorld({ repos: REPOS, window: '1s', nodeArgs: [HEAP_FLAG, '--max-semi-space-size=2'] });
const { serve, standIns } = world;
const url = new URL(serve.publicUrl);
let crashed = 0;
const alive = () => {
  try {
    process.kill(serve.pid, 0);
    return true;
  } catch {
    return false;
  }
};
const counts: Record<string, number> = {};
const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
const post = async (body: string | Buffer, headers: Record<string, string>, kind: string) => {
  try {
    const r = await fetch(serve.publicUrl, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers, signal: AbortSignal.timeout(30_000) });
    await r.arrayBuffer();
    count(`${kind} ${r.status}`);
  } catch {
    count(`${kind} error`);
  }
};

// A push delivered once before the flood: its replays (same id, and new ids) must announce nothing.
const seedBody = pushBody(repoName(0), 1, '1'.repeat(40), '2'.repeat(40), 'Soak seed push');
const seedHeaders = { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-signature': sign(HOOK_SECRET, seedBody) };
await post(seedBody, { ...seedHeaders, 'x-gitea-delivery': 'soak-seed' }, 'seed');
const settle = async () => {
  for (let i = 0; i < 100 && (serve.pendingDeliveries() ?? 0) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
};
await settle();
let end = 0;
const running = () => performance.now() < end && alive();

const junk = async () => {
  while (running()) {
    await post('{"zen":"junk"}', { 'content-type': 'application/json', 'x-gitea-event': `junk-${randomBytes(6).toString('hex')}`, 'x-junk': 'j'.repeat(12_000) }, 'junk');
  }
};
// A body announced as 4 MiB, sent at 1 KiB/s: held at most server.body_timeout.
const slow = () =>
  new Promise<void>((resolve) => {
    const s = connect(Number(url.port), url.hostname);
    s.on('error', () => undefined);
    s.write(`POST /webhook/gitea HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nx-gitea-event: push\r\nx-gitea-signature: ${'a'.repeat(64)}\r\ncontent-length: ${4 * MiB}\r\n\r\n`);
    const t = setInterval(() => (running() ? s.write('x'.repeat(1024)) : s.destroy()), 1000);
    s.on('data', (d) => count(`slow ${String(d).slice(9, 12)}`));
    s.on('close', () => (clearInterval(t), resolve()));
  });
const slows = async () => {
  const open: Promise<void>[] = [];
  while (running()) {
    if (open.length < 60) open.push(slow().then(() => void open.splice(0, 1)));
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.all(open);
};
const oversize = async () => {
  const big = Buffer.alloc(6 * MiB, 'a');
  while (running()) {
    await post(big, { ...seedHeaders, 'x-gitea-signature': 'b'.repeat(64) }, 'oversize');
    await new Promise((r) => setTimeout(r, 250));
  }
};
// Bursts of 20 concurrent signed ~4.6 MiB pushes (the message is in commits and head_commit) to an
// undeclared repo: verified, parsed, routed nowhere. Before the in-flight budget such bursts ran a
// 128 MiB heap out of memory.
const bigBursts = async () => {
  const body = pushBody('elsewhere/big', 999, '3'.repeat(40), '4'.repeat(40), 'x'.repeat(2.3 * MiB));
  const headers = { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-signature': sign(HOOK_SECRET, body) };
  while (running()) {
    await Promise.all(Array.from({ length: 20 }, () => post(body, headers, 'big')));
    await new Promise((r) => setTimeout(r, 5000));
  }
};
const replays = async () => {
  for (let i = 0; running(); i++) {
    await post(seedBody, { ...seedHeaders, 'x-gitea-delivery': i % 2 ? 'soak-seed' : `soak-replay-${i}` }, 'replay');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const flood = async (seconds: number) => {
  end = performance.now() + seconds * 1000;
  await Promise.all([...Array.from({ length: 8 }, junk), slows(), oversize(), replays(), bigBursts()]);
};
// "Before" is the steady state after a short warm-up of the same mix (code compiled, caches and
// pools at their working size), so "after" measures what the flood itself left behind.
await flood(5);
await settle();
const messagesBefore = await standIns.messages();
const before = serve.memory();
const heapBefore = await serve.heap();
let peak = before.rssMiB;
const sampler = setInterval(() => alive() && (peak = Math.max(peak, serve.memory().rssMiB)), 250);
const valid = standIns.pushes({ rate: 2, seconds: SECONDS, repos: REPOS, waitMs: 30_000 });
await flood(SECONDS);
const report = await valid;
if (!alive()) crashed = 1;
clearInterval(sampler);
await settle();
// RSS is what the kernel charges; give V8 and the allocator a moment after the flood, as an operator would see it.
await new Promise((r) => setTimeout(r, 5000));
const after = alive() ? serve.memory() : { rssMiB: NaN, peakMiB: NaN };
const heapAfter = alive() ? await serve.heap() : { heapUsedMiB: NaN, heapTotalMiB: NaN };
const metrics = alive() ? await (await fetch(`${serve.url}/metrics`)).text() : '';
const series = metrics.split('\n').filter((l) => l && !l.startsWith('#')).length;
const deliverySeries = metrics.split('\n').filter((l) => l.startsWith('monitor_deliveries_total{')).length;
const extraMessages = (await standIns.messages()) - messagesBefore - report.exactlyOne - report.duplicated;
await world.stop();

const f = (n: number) => n.toFixed(0);
const ratio = after.rssMiB / before.rssMiB;
console.log(`soak: ${SECONDS} s, monitor serve ${HEAP_FLAG}, default server limits`);
console.log(`requests (warm-up included): ${Object.entries(counts).sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`crashes: ${crashed}`);
console.log(`RSS before (after a 5 s warm-up) / peak / after: ${f(before.rssMiB)} / ${f(Math.max(peak, after.peakMiB || 0))} / ${f(after.rssMiB)} MiB (after = ${(ratio * 100).toFixed(0)} % of before${ratio <= 1.2 ? '' : ', OVER 120 %'})`);
console.log(`V8 heap used before / after: ${f(heapBefore.heapUsedMiB)} / ${f(heapAfter.heapUsedMiB)} MiB (of ${f(heapAfter.heapTotalMiB)})`);
console.log(`valid pushes announced exactly once: ${report.exactlyOne} / ${report.pushes} (accepted ${report.accepted}, missing ${report.missing}, duplicated ${report.duplicated})`);
console.log(`notices other than the valid pushes (replays must add none): ${extraMessages}`);
console.log(`/metrics series: ${series} (monitor_deliveries_total: ${deliverySeries})`);
const ok = crashed === 0 && ratio <= 1.2 && report.exactlyOne === report.pushes && extraMessages === 0 && deliverySeries <= 20;
console.log(ok ? 'soak: PASS' : 'soak: FAIL');
process.exit(ok ? 0 : 1);
