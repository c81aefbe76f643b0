// The processing thread's log lines (issue 13): under `monitor serve` the thread writes them to the
// process's stdout itself, as the daemon thread does, instead of a message per line that the daemon's
// logger parses and writes again (both threads paid for every delivery's "delivery processed").
import { afterEach, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { spawnProcessingThread } from '../../src/runtime/processing-client.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon | undefined;
let dir: string;
afterEach(async () => {
  await d?.stop();
  await w.close();
  rmSync(dir, { recursive: true, force: true });
});

const processedLines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'delivery processed');

it('a thread given a descriptor writes its lines there, and none come back to the daemon as messages', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks(['dataforge/api']);
  dir = mkdtempSync(join(tmpdir(), 'monitor-thread-logs-'));
  const file = join(dir, 'out');
  const fd = openSync(file, 'w');
  const config = await w.load();
  const thread = spawnProcessingThread(config.runs.database.slice('sqlite:'.length), config, { logs: { fd } });
  const daemon = await startWorldDaemon(w, { thread });
  d = daemon;
  const [res] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  expect(res!.status).toBe(202);
  await w.hs.waitForMessages(ROOM, 1, 5000);
  await daemon.stop(); // the thread ends: what it wrote is flushed
  d = undefined;
  closeSync(fd);
  const id = res!.uuid;
  expect(processedLines(readFileSync(file, 'utf8')).map((l) => l.delivery_id)).toContain(id);
  expect(daemon.logs.lines.filter((l) => l.msg === 'delivery processed')).toEqual([]);
});

it('by default the lines come back to the daemon logger', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks(['dataforge/api']);
  dir = mkdtempSync(join(tmpdir(), 'monitor-thread-logs-'));
  const daemon = await startWorldDaemon(w);
  d = daemon;
  const [res] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 5000);
  await daemon.settle();
  expect(daemon.logs.lines.filter((l) => l.msg === 'delivery processed').map((l) => l.delivery_id)).toContain(res!.uuid);
});
