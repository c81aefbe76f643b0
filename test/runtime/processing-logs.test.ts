// The processing thread's log lines (issue 13): under `monitor serve` the thread formats them at
// LOG_LEVEL and the daemon's logger writes them as they are (Logger.raw), instead of parsing each
// line and logging it again (both threads paid for every delivery's "delivery processed"); the
// daemon thread stays the one writer of fd 1, so lines of the two threads never interleave.
import { afterEach, expect, it } from 'vitest';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import { spawnProcessingThread } from '../../src/runtime/processing-client.ts';
import { memoryLogger, type Logger } from '../../src/log.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon | undefined;
afterEach(async () => {
  await d?.stop();
  await w.close();
});

it("with logs 'lines' the thread's formatted lines reach the daemon's logger whole, not parsed and logged again", async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks(['dataforge/api']);
  const config = await w.load();
  const thread = spawnProcessingThread(config.runs.database.slice('sqlite:'.length), config, { logs: 'lines' });
  const emitted = memoryLogger();
  const raw: string[] = [];
  const logger: Logger = { ...emitted, raw: (line) => void raw.push(line) };
  d = await startWorldDaemon(w, { thread, logger });
  const [res] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  expect(res!.status).toBe(202);
  await w.hs.waitForMessages(ROOM, 1, 5000);
  await d.settle();
  const processed = raw.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'delivery processed');
  expect(processed.map((l) => l.delivery_id)).toContain(res!.uuid);
  expect(processed[0]).toMatchObject({ level: 'info', time: expect.any(String) });
  expect(emitted.lines.filter((l) => l.msg === 'delivery processed')).toEqual([]);
});

it('by default the lines come back to the daemon logger as structured lines', async () => {
  w = await startWorld({ window: '1ms' });
  await w.installHooks(['dataforge/api']);
  const daemon = await startWorldDaemon(w);
  d = daemon;
  const [res] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 5000);
  await daemon.settle();
  expect(daemon.logs.lines.filter((l) => l.msg === 'delivery processed').map((l) => l.delivery_id)).toContain(res!.uuid);
});
