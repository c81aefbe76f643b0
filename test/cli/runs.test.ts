// `monitor runs` through the CLI on the records a real daemon wrote: the text table, --node, --json.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { main } from '../../src/cli/main.ts';

let w: World;
let d: Daemon;
beforeAll(async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
  await w.gitea.push('dataforge/api', { pusher: 'alice', commits: 2 });
  await w.gitea.push('dataforge/web', { pusher: 'registry-bot' });
  await w.hs.waitForMessages(ROOM, 1, 3000);
  await d.settle();
});
afterAll(async () => {
  await d.stop();
  await w.close();
});

async function runs(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(['runs', '-c', w.configFile, ...args], { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: w.dir });
  return { code, out };
}

it('prints nodes and runs as a table, without needing any secret', async () => {
  const { code, out } = await runs();
  expect(code).toBe(0);
  expect(out).toMatch(/^gitea_push_api\s+\d{4}-\d\d-\d\dT\S+\s+announced\s+1$/m);
  expect(out).toMatch(/^gitea_push_web\s+\S+\s+skipped\s+1$/m);
  expect(out).toMatch(/^run_\w+\s+gitea_push_api\s+push\s+refs\/heads\/main\s+2\s+announced/m);
});

it('--node narrows both lists; --json has the contract shape', async () => {
  const { code, out } = await runs('--node', 'gitea_push_web', '--json');
  expect(code).toBe(0);
  const v = JSON.parse(out);
  expect(v.nodes).toEqual([{ node_id: 'gitea_push_web', repo: 'dataforge/web', last_run_at: expect.any(String), last_status: 'skipped', runs: 1 }]);
  expect(v.runs).toHaveLength(1);
  expect(v.runs[0]).toMatchObject({ node_id: 'gitea_push_web', event: 'push', status: 'skipped', trigger: 'webhook', commits: 1, notified_at: null });
  expect(Object.keys(v.runs[0])).toEqual(expect.arrayContaining(['run_id', 'node_id', 'delivery_id', 'event', 'ref', 'status', 'trigger', 'commits', 'received_at', 'notified_at']));
});

it('refuses a bad option with a usage line', async () => {
  const { code, out } = await runs('--nope');
  expect(code).toBe(1);
  expect(out).toContain('Usage: monitor runs');
});
