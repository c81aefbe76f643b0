// Downstream triggers: every recorded push run is POSTed, signed, to the trigger URL; failures are
// retried like notices (the call chain records the attempt); ignored pushes fire only with
// include_ignored.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

interface Call { body: string; signature: string | undefined; key: string | undefined }
let w: World;
let d: Daemon;
let server: Server;
const calls: Call[] = [];
let failFirst = 0;

beforeEach(async () => {
  calls.length = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ body, signature: req.headers['x-monitor-signature'] as string, key: req.headers['x-monitor-delivery'] as string });
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(503, { 'retry-after': '0' }).end();
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/trigger`;
  w = await startWorld({
    extraYaml: `triggers:
  - { name: dag_engine, url: ${url}, events: [push], secret: { env: DAG_SECRET } }
  - { name: audit, url: ${url}, events: [push], secret: { env: DAG_SECRET }, include_ignored: true, repos: [dataforge/web] }`,
  });
  w.env.DAG_SECRET = 'dag-secret-1234';
  await w.installHooks();
  d = await startWorldDaemon(w);
});
afterEach(async () => {
  await d.stop();
  await w.close();
  await new Promise((r) => server.close(r));
});

it('posts a signed run to each matching trigger, retrying a failure, and records the attempt', async () => {
  failFirst = 1;
  const [delivery] = await w.gitea.push('dataforge/api', { pusher: 'alice', commits: 2 });
  await w.hs.waitForMessages(ROOM, 1, 2000);
  await expect.poll(() => calls.length, { timeout: 5000 }).toBe(2); // 503, then the retry
  const [first, second] = calls;
  expect(second!.body).toBe(first!.body);
  expect(second!.key).toBe(first!.key);
  const body = JSON.parse(second!.body);
  expect(body).toMatchObject({ node_id: 'gitea_push_api', repo: 'dataforge/api', event: 'push', ref: 'refs/heads/main', delivery_id: delivery!.uuid, announced: true });
  expect(body.commits).toHaveLength(2);
  expect(second!.signature).toBe('sha256=' + createHmac('sha256', 'dag-secret-1234').update(second!.body).digest('hex'));
  await d.settle();
  const steps = (await d.store.callsOf(delivery!.uuid)).map((c) => c.step);
  expect(steps).toContain('trigger');
  expect(steps).toContain('matrix.send');
});

it('an ignored push fires only the trigger that includes ignored runs', async () => {
  await w.gitea.push('dataforge/web', { pusher: 'registry-bot' });
  await expect.poll(() => calls.length, { timeout: 5000 }).toBe(1);
  expect(JSON.parse(calls[0]!.body)).toMatchObject({ repo: 'dataforge/web', announced: false });
  await d.settle();
  expect(calls).toHaveLength(1);
  expect((await d.store.listRuns({}))[0]).toMatchObject({ status: 'skipped' });
});
