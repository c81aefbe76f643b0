// The invite poller runs on the daemon's clock (issue 13: one clock): with a fake clock it looks for
// invites exactly when matrix.invite_poll has passed, and never after stop — no real waiting.
import { expect, it } from 'vitest';
import { fakeClock } from '../../src/clock.ts';
import { startInvitePoller } from '../../src/runtime/invites.ts';
import { memoryLogger } from '../../src/log.ts';
import type { MatrixPort } from '../../src/adapters/matrix/client.ts';

it('polls once per interval of the injected clock, and not after stop', async () => {
  const clock = fakeClock();
  let polls = 0;
  const matrix = { pendingInvites: async (since: string | null) => (polls++, { next: `s${polls}`, roomIds: [], since }) } as unknown as MatrixPort;
  const poller = startInvitePoller({
    matrix, clock, logger: memoryLogger(), intervalMs: () => 5000, active: () => true,
    waiting: () => [['ops', '#ops:localhost']], onJoined: () => undefined,
  });
  await clock.advance(4999);
  expect(polls).toBe(0);
  await clock.advance(1);
  expect(polls).toBe(1);
  await clock.advance(5000);
  expect(polls).toBe(2);
  poller.stop();
  await clock.advance(20_000);
  expect(polls).toBe(2);
  expect(clock.pending()).toBe(0);
});
