// freePort picks outside the kernel's ephemeral range, so a listen(0) elsewhere (another test's
// stand-in) cannot be handed the same port between the check and the caller's listen; a taken port
// is skipped.
import { afterEach, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { FREE_PORT_RANGE, freePort } from '../../src/net/free-port.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

it('picks a port below the ephemeral ranges, and one that can be listened on', async () => {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(FREE_PORT_RANGE[0]);
    expect(port).toBeLessThanOrEqual(FREE_PORT_RANGE[1]);
    expect(port).toBeLessThan(32768);
    const s = createServer();
    servers.push(s);
    await new Promise<void>((resolve, reject) => (s.once('error', reject), s.listen(port, '127.0.0.1', resolve)));
  }
});

it('skips a port that is taken', async () => {
  const taken = await freePort();
  const s = createServer();
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(taken, '127.0.0.1', resolve));
  const [lo, hi] = FREE_PORT_RANGE;
  // The first pick is the taken port; the second another one.
  const picks = [(taken - lo + 0.5) / (hi - lo + 1), (((taken - lo + 1) % (hi - lo + 1)) + 0.5) / (hi - lo + 1)];
  const port = await freePort('127.0.0.1', () => picks.shift() ?? Math.random());
  expect(port).not.toBe(taken);
});
