// `monitor serve` runs the daemon on a worker thread with a capped young generation (issue 13:
// memory by design, not by flags): under a burst of deliveries the daemon's new space stays within
// the cap (uncapped, V8 grows it to 128 MiB on a large machine and keeps it), and the signals the
// process gets reach the daemon (SIGHUP reloads, SIGTERM drains and exits 0: reload.test.ts,
// shutdown.test.ts).
import { afterEach, expect, it } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SECRETS, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';
import { DAEMON_YOUNG_GENERATION_MB } from '../../src/runtime/daemon-thread.ts';

let w: World;
let s: ServeProcess;
afterEach(async () => {
  s?.child.kill('SIGTERM');
  await s?.exited;
  await w.close();
});

const push = JSON.parse(readFileSync(new URL('../fixtures/gitea/payloads/push-3-commits.json', import.meta.url), 'utf8'));

it('the daemon thread keeps its young generation within the cap under a burst of deliveries, its fsyncs on an 8-thread pool, the WAL checkpointed by the main thread', async () => {
  w = await startWorld({ window: '60s' });
  s = await startServe(w);
  const newSpace = async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    return Number(/^nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)$/m.exec(text)?.[1]);
  };
  // 3,000 distinct signed pushes, 30 at a time, each body ~4 KB.
  let sent = 0;
  const one = async () => {
    while (sent < 3000) {
      const n = sent++;
      const body = JSON.stringify({ ...push, after: n.toString(16).padStart(40, '0'), repository: { ...push.repository, full_name: 'dataforge/api', name: 'api' }, padding: 'x'.repeat(2000) });
      const res = await fetch(`${s.url}/webhook/gitea`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-delivery': randomUUID(), 'x-gitea-signature': createHmac('sha256', SECRETS.WEBHOOK_SECRET).update(body).digest('hex') },
      });
      expect(res.status).toBe(202);
    }
  };
  await Promise.all(Array.from({ length: 30 }, one));
  // Every 202 waited for an fdatasync on libuv's pool: bin/monitor.js sizes it at 8 threads, so a
  // few stuck DNS lookups cannot hold the fsyncs back (4 without it).
  const pool = readdirSync(`/proc/${s.child.pid}/task`).filter((t) => readFileSync(`/proc/${s.child.pid}/task/${t}/comm`, 'utf8').trim() === 'libuv-worker');
  expect(pool).toHaveLength(8);
  // The main thread checkpoints the WAL (every second): the database file takes the pages while the
  // daemon runs. The processing thread's own checkpoint would wait for 40,000 WAL pages, more than
  // this burst writes, so without the main thread's the file would stay as the migrations left it.
  const dbFile = join(w.dir, 'data', 'monitor.db');
  const deadline = Date.now() + 10_000;
  while (statSync(dbFile).size < 2 ** 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(statSync(dbFile).size).toBeGreaterThan(2 ** 20);
  // Both threads log every delivery; the daemon thread alone writes fd 1: every line whole JSON.
  expect(s.lines.filter((l) => typeof l.time !== 'string')).toEqual([]);
  expect(await newSpace()).toBeGreaterThan(0);
  expect(await newSpace()).toBeLessThanOrEqual(DAEMON_YOUNG_GENERATION_MB * 2 ** 20);
}, 60_000);
