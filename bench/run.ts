// `npm run bench`: every section in turn (or the ones named), one table, and the raw numbers in
// bench/results/latest.json. Benchmarks print; nothing here asserts a time (goals are reported).
//   node bench/run.ts [receiver|latency|reconcile|memory|startup ...] [--quick] [--cpu-prof] [--serve-flags="..."]
// --quick: short runs to check the bench itself works. --cpu-prof: `monitor serve` children write
// V8 CPU profiles to bench/results/profiles/ (summarise with `node bench/profile-summary.ts FILE`).
// --serve-flags: node flags for the `monitor serve` children, e.g. "--max-old-space-size=96".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { receiverBench, RECEIVER_DEFAULTS } from './receiver.ts';
import { latencyBench, LATENCY_DEFAULTS, LATENCY_HEAVY } from './latency.ts';
import { reconcileBench } from './reconcile.ts';
import { memoryBench, MEMORY_DEFAULTS } from './memory.ts';
import { startupBench } from './startup.ts';
import { table, type SectionResult } from './lib/report.ts';
import { buildDist } from '../scripts/build.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const serveFlags = args.find((a) => a.startsWith('--serve-flags='))?.slice('--serve-flags='.length).split(/\s+/).filter(Boolean) ?? [];
const profile = args.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${RESULTS}profiles`] : [];
const nodeArgs = serveFlags.length || profile.length ? [...serveFlags, ...profile] : undefined;

const SECTIONS: Record<string, () => Promise<SectionResult>> = {
  receiver: () => receiverBench(quick ? { ...RECEIVER_DEFAULTS, seconds: 2, warmup: 1, nodeArgs } : { ...RECEIVER_DEFAULTS, nodeArgs }),
  latency: () => latencyBench(quick ? { ...LATENCY_DEFAULTS, seconds: 4, nodeArgs } : { ...LATENCY_DEFAULTS, nodeArgs }, quick ? { ...LATENCY_HEAVY, seconds: 3, nodeArgs } : { ...LATENCY_HEAVY, nodeArgs }),
  reconcile: () => reconcileBench(quick ? 200 : 1000),
  memory: () => memoryBench(quick ? { ...MEMORY_DEFAULTS, checkpoints: [1000, 3000, 5000], nodeArgs } : { ...MEMORY_DEFAULTS, nodeArgs }),
  startup: () => startupBench(quick ? 3 : 5, 100, serveFlags.length ? serveFlags : undefined),
};

export function machine() {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return { cpus: availableParallelism(), cpu, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, kernel: release(), platform: process.platform };
}

const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((n) => !(n in SECTIONS));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const chosen = named.length ? named : Object.keys(SECTIONS);
// `monitor serve` runs as installed: the bundled dist/ (MONITOR_FROM_DIST=1 in bench/lib/serve.ts),
// built here from the current sources so the numbers are of this tree.
try {
  await buildDist();
} catch (e) {
  console.error(`bench: \`npm run build\` failed (${(e as Error).message}); the bench runs the built daemon`);
  process.exit(1);
}
const m = machine();
console.log(`monitor bench: ${chosen.join(', ')}${quick ? ' (quick)' : ''} on ${m.cpus} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}`);
const started = performance.now();
const results: SectionResult[] = [];
const failures: Record<string, string> = {};
for (const name of chosen) {
  // Each section starts with the previous one's writes on disk: the kernel writing back the receiver
  // section's hundreds of MB would otherwise slow the next section's fsyncs.
  spawnSync('sync');
  const t = performance.now();
  process.stdout.write(`  ${name} … `);
  try {
    results.push(await SECTIONS[name]!());
    console.log(`${((performance.now() - t) / 1000).toFixed(0)} s`);
  } catch (e) {
    failures[name] = (e as Error).stack ?? String(e);
    console.log(`failed: ${(e as Error).message}`);
  }
}
const rows = results.flatMap((r) => r.rows);
console.log(`\n${table(rows)}\n`);
mkdirSync(RESULTS, { recursive: true });
const file = `${RESULTS}latest.json`;
writeFileSync(file, JSON.stringify({
  at: new Date().toISOString(),
  command: `node bench/run.ts ${args.join(' ')}`.trim(),
  seconds: (performance.now() - started) / 1000,
  machine: m,
  serveFlags,
  rows,
  sections: Object.fromEntries(results.map((r) => [r.name, r.data])),
  failures,
}, null, 2) + '\n');
console.log(`JSON: ${file}${profile.length ? `\nCPU profiles: ${RESULTS}profiles/` : ''}`);
process.exit(Object.keys(failures).length ? 1 : 0);
