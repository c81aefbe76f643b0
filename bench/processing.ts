// The storage-and-processing thread alone: driven in-process with concurrent `insertDelivery` calls
// as the receiver makes them (UUID delivery ids, one ~1.5 KB push each over 100 repos), no HTTP and
// no sender. Prints deliveries/s and the CPU time each thread spent per delivery (from /proc), for
// A/B comparisons of store and processing changes: the VM's speed moves by tens of percent within
// minutes, so compare two builds run in turn, several times.
//   node bench/processing.ts [--deliveries=5000] [--concurrency=20] [--keep=FILE.db]
// --keep copies the database and its WAL at the end (the WAL keeps every commit: checkpoints are
// left to "another thread" that never runs); `node bench/wal-pages.ts FILE.db` reads it.
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { startWorld } from '../test/helpers/world.ts';
import { spawnProcessingThread, startProcessingThread } from '../src/runtime/processing-client.ts';
import { pushBody, repoName } from './lib/body.ts';
import { runIdOf } from '../src/pipeline/ids.ts';
import { createLogger } from '../src/log.ts';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const n = Number(arg('deliveries', '5000'));
const concurrency = Number(arg('concurrency', '20'));
const keep = arg('keep', '');

const repos = Array.from({ length: 100 }, (_, i) => repoName(i));
const w = await startWorld({ repos, repoRules: '  - { match: bench/*, notify: [news] }' });
const config = await w.load();
const path = config.runs.database.slice('sqlite:'.length);
const early = spawnProcessingThread(path, config, { checkpoints: keep ? 'external' : 'own' });
const t = await startProcessingThread(path, config, createLogger({ write: () => undefined }), { onProcessed() {}, onParked() {}, onRenderFallback() {} }, early);
t.lead(true);

/** utime + stime of each thread of this process, in clock ticks (10 ms). */
const ticks = () =>
  new Map(readdirSync('/proc/self/task').map((id) => {
    const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [`${id}:${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`, Number(f[11]) + Number(f[12])] as const;
  }));

let k = 0;
const sha = (x: number) => x.toString(16).padStart(40, '0');
const drive = async (upTo: number) => {
  while (k < upTo) {
    const i = ++k;
    const repo = repos[i % repos.length]!;
    const body = pushBody(repo, (i % repos.length) + 1, sha(2 * i), sha(2 * i + 1), `Update README.md (${i})`);
    const id = randomUUID();
    const now = Date.now();
    await t.store.insertDelivery({
      deliveryId: id, runId: runIdOf(id), bodySha256: createHash('sha256').update(body).digest('hex'), event: 'push', repo, body, receivedAt: now,
      calls: [
        { step: 'receive', startedAt: now, durationMs: 0.1, outcome: 'ok', detail: `${body.length} bytes` },
        { step: 'verify', startedAt: now, durationMs: 0.1, outcome: 'ok', detail: 'current secret' },
        { step: 'dedupe', startedAt: now, durationMs: 0, outcome: 'new', detail: null },
        { step: 'enqueue', startedAt: now, durationMs: 0.1, outcome: 'ok', detail: null },
      ],
    });
  }
};
await Promise.all(Array.from({ length: concurrency }, () => drive(Math.min(n, 1000)))); // warm-up
const start = k;
const before = ticks();
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => drive(start + n)));
const seconds = (performance.now() - t0) / 1000;
const after = ticks();
const perDelivery = [...after].map(([key, v]) => [key.split(':')[1]!, ((v - (before.get(key) ?? 0)) * 10_000) / n] as const).filter(([, us]) => us >= 1).sort((a, b) => b[1] - a[1]);
await t.worker.idle();
if (keep) for (const suffix of ['', '-wal']) copyFileSync(path + suffix, keep + suffix);
console.log(`${n} deliveries, ${concurrency} at a time: ${Math.round(n / seconds)} deliveries/s`);
console.log(`CPU per delivery (µs), by thread: ${perDelivery.map(([name, us]) => `${name} ${Math.round(us)}`).join(', ')}`);
await t.store.close();
await w.close();
