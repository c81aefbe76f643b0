// `monitor serve` with the homeserver down: the log names the URL, the setting and the cause
// (it said only "connection failed: fetch failed: fetch failed").
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { freePort, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';

let w: World;
let s: ServeProcess | null = null;
afterEach(async () => {
  s?.child.kill('SIGKILL');
  await s?.exited;
  await w.close();
});

it('serve with Matrix unreachable logs the homeserver URL and ECONNREFUSED host:port', async () => {
  w = await startWorld();
  const port = await freePort(); // nothing listens there
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace(w.hs.url, `http://127.0.0.1:${port}`));
  s = await startServe(w);
  const line = await s.waitForLog((l) => String(l.msg).startsWith('cannot join room'));
  expect(line.error).toBe(`cannot reach the homeserver at http://127.0.0.1:${port} (matrix.homeserver): ECONNREFUSED 127.0.0.1:${port}`);
}, 60_000);
