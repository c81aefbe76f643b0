// Two replicas on PostgreSQL + Redis, as real `monitor serve` processes behind one public URL:
// the same delivery reaching both yields one run and one notice; a delivery stored by the follower
// is announced by the leader; killing the leader moves leadership (and reconcile) to the other.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort, ROOM, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';
import { createTempDatabase } from '../helpers/pg.ts';
import { recordsSettled } from '../helpers/records.ts';

let w: World;
let db: Awaited<ReturnType<typeof createTempDatabase>>;
const procs: ServeProcess[] = [];
const prefix = `monitor-test-${randomBytes(4).toString('hex')}`;

beforeEach(async () => {
  db = await createTempDatabase();
  w = await startWorld({ window: '1s', database: db.url, state: `{ driver: redis, url: "redis://127.0.0.1:6379", prefix: ${prefix} }` });
  await w.installHooks();
});
afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  await w.close();
  await db.drop();
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

/** Replica B: the same file but its own listen port (the public URL stays A's: the load balancer). */
async function replicaConfig(): Promise<string> {
  const port = await freePort();
  const file = join(w.dir, 'monitor-b.yaml');
  writeFileSync(file, readFileSync(w.configFile, 'utf8').replace(/listen: 127\.0\.0\.1:\d+/, `listen: 127.0.0.1:${port}`));
  return file;
}
async function role(p: ServeProcess): Promise<string> {
  return (await (await fetch(p.url + '/webhook/health')).json()).role;
}

it('the same delivery at both replicas: one run, one notice; the follower stores, the leader announces', async () => {
  const a = await startServe(w);
  procs.push(a);
  await a.waitForLog((l) => l.msg === 'became leader');
  const b = await startServe(w, [], await replicaConfig());
  procs.push(b);
  expect([await role(a), await role(b)]).toEqual(['leader', 'follower']);

  const [delivery] = await w.gitea.push('dataforge/api', { pusher: 'alice' }); // reaches A
  const again = await fetch(b.url + '/webhook/gitea', { method: 'POST', body: delivery!.body, headers: delivery!.requestHeaders }); // and B
  expect(again.status).toBe(200);
  expect(await again.json()).toMatchObject({ duplicate: true });

  // A replay from Gitea's UI (new id, same bytes) at the follower is a duplicate too.
  const replay = await fetch(b.url + '/webhook/gitea', { method: 'POST', body: delivery!.body, headers: { ...delivery!.requestHeaders, 'x-gitea-delivery': 'replayed-elsewhere' } });
  expect(replay.status).toBe(200);

  await w.hs.waitForMessages(ROOM, 1, 5000);
  await recordsSettled(db.url); // nothing left to process or send: no second notice can come
  expect(w.hs.messages(ROOM)).toHaveLength(1);
});

it('a delivery stored by the follower alone is announced by the leader', async () => {
  const a = await startServe(w);
  procs.push(a);
  await a.waitForLog((l) => l.msg === 'became leader');
  const b = await startServe(w, [], await replicaConfig());
  procs.push(b);
  // Point the hooks at B: Gitea's deliveries now reach the follower only.
  for (const repo of ['dataforge/api']) {
    const hooks = await (await fetch(`${w.gitea.url}/api/v1/repos/${repo}/hooks`, { headers: { authorization: `token ${w.env.GITEA_TOKEN}` } })).json();
    for (const h of hooks)
      await fetch(`${w.gitea.url}/api/v1/repos/${repo}/hooks/${h.id}`, {
        method: 'PATCH',
        headers: { authorization: `token ${w.env.GITEA_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ config: { url: b.url + '/webhook/gitea', content_type: 'json' }, events: h.events, active: true }),
      });
  }
  const [d] = await w.gitea.push('dataforge/api', { pusher: 'carol' });
  expect(d!.status).toBe(202);
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await a.waitForLog((l) => l.msg === 'notice sent', 3000);
  expect(b.lines.some((l) => l.msg === 'notice sent')).toBe(false);
});

it('killing the leader moves leadership and reconcile to the other replica', async () => {
  const a = await startServe(w);
  procs.push(a);
  await a.waitForLog((l) => l.msg === 'became leader');
  const b = await startServe(w, [], await replicaConfig());
  procs.push(b);
  expect(await role(b)).toBe('follower');
  a.child.kill('SIGKILL');
  await a.exited;
  await b.waitForLog((l) => l.msg === 'became leader', 10_000);
  expect(await role(b)).toBe('leader');
  // Reconcile now runs on B: it repairs a hook deleted behind its back.
  const hooks = await (await fetch(`${w.gitea.url}/api/v1/repos/dataforge/web/hooks`, { headers: { authorization: `token ${w.env.GITEA_TOKEN}` } })).json();
  for (const h of hooks) await fetch(`${w.gitea.url}/api/v1/repos/dataforge/web/hooks/${h.id}`, { method: 'DELETE', headers: { authorization: `token ${w.env.GITEA_TOKEN}` } });
  const reload = await fetch(b.url + '/-/reload', { method: 'POST' }); // a reload triggers a reconcile pass
  expect(reload.status).toBe(200);
  await expect.poll(() => w.gitea.hooks('dataforge/web').length, { timeout: 10_000 }).toBe(1);
  // And it announces (the load balancer now sends everything to B).
  const [d] = await w.gitea.push('dataforge/pipelines', { pusher: 'alice' });
  expect(d!.status).toBeNull(); // A's address is dead
  const res = await fetch(b.url + '/webhook/gitea', { method: 'POST', body: d!.body, headers: d!.requestHeaders });
  expect(res.status).toBe(202);
  await w.hs.waitForMessages(ROOM, 1, 5000);
});
