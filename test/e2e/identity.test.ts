// The bot's identity from monitor.yaml: a password login that mints one device and keeps it across
// restarts (re-login with the same device when the token is rejected), and a display name applied
// at start and on reload only when it differs.
import { afterEach, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOM, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import type { MatrixSession } from '../../src/adapters/matrix/session.ts';

let w: World;
let d: Daemon | null = null;
afterEach(async () => {
  await d?.stop();
  d = null;
  await w.close();
});
const count = (method: string, path: string) => w.hs.requests.filter((r) => r.method === method && r.path.startsWith(path)).length;
const V3 = '/_matrix/client/v3';

it('password login keeps one device across restarts and a rejected token; display name set only when it differs', async () => {
  w = await startWorld({ window: '1s' });
  w.hs.addUser({ token: 'tok-unused-' + Math.random(), userId: '@monitor:localhost', deviceId: 'SEEDED', password: 'pw-7f3a9c' });
  w.env.MATRIX_PASSWORD = 'pw-7f3a9c';
  const setName = (name: string) =>
    writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace(/  (access_token: \{ env: MATRIX_TOKEN \}|user: monitor\n  password: .*\n  display_name: .*)/, `  user: monitor\n  password: { env: MATRIX_PASSWORD }\n  display_name: ${name}`));
  setName('Release bot');
  await w.installHooks();
  const session = async () => (await d!.storage.getItem<MatrixSession>('matrix:session'))!;

  d = await startWorldDaemon(w, { reload: { env: w.env, cwd: w.dir } });
  await w.gitea.push('dataforge/api', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 1, 5000);
  expect(w.hs.messages(ROOM)[0]!.sender).toBe('@monitor:localhost');
  expect(count('POST', `${V3}/login`)).toBe(1);
  const first = await session();
  expect(first).toMatchObject({ userId: '@monitor:localhost', deviceId: expect.any(String) });
  expect(first.deviceId).not.toBe('SEEDED');
  expect(w.hs.profile('@monitor:localhost').displayname).toBe('Release bot');
  expect(count('PUT', `${V3}/profile/`)).toBe(1);

  // Restart: the stored session is used as is (no login), the unchanged name is not sent again.
  await d.stop();
  d = await startWorldDaemon(w, { reload: { env: w.env, cwd: w.dir } });
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 2, 5000);
  expect(count('POST', `${V3}/login`)).toBe(1);
  expect(count('PUT', `${V3}/profile/`)).toBe(1);

  // The token is revoked: one new login, with the same device.
  w.hs.revokeToken(first.accessToken);
  await w.gitea.push('dataforge/pipelines', { pusher: 'alice' });
  await w.hs.waitForMessages(ROOM, 3, 5000);
  expect(count('POST', `${V3}/login`)).toBe(2);
  const second = await session();
  expect(second.deviceId).toBe(first.deviceId);
  expect(second.accessToken).not.toBe(first.accessToken);

  // Reload with a new name: applied once.
  setName('Release bot (staging)');
  expect((await d.reloader!.reload('test', true)).ok).toBe(true);
  await expect.poll(() => w.hs.profile('@monitor:localhost').displayname, { timeout: 5000 }).toBe('Release bot (staging)');
  expect(count('PUT', `${V3}/profile/`)).toBe(2);
  // The secret never reaches a log line.
  expect(JSON.stringify((d as unknown as { logs: { lines: unknown[] } }).logs.lines ?? [])).not.toContain('pw-7f3a9c');
}, 40_000);
