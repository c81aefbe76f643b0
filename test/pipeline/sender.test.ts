// The sender's "kick every room" path with a store that fails (issue 10 item 5): logged, never an
// unhandled rejection (which would end the process).
import { expect, it } from 'vitest';
import { createSender } from '../../src/pipeline/sender.ts';
import type { Store } from '../../src/adapters/store/types.ts';
import { memoryLogger } from '../../src/log.ts';
import { kitRuntime } from './pipeline-kit.ts';

it('a store error while listing rooms with pending notices is logged, not an unhandled rejection', async () => {
  const logger = memoryLogger('debug');
  let asked!: () => void;
  const askedP = new Promise<void>((r) => (asked = r));
  const store = { roomsWithPending: async () => (asked(), Promise.reject(new Error('the records database is locked by another writer'))) } as unknown as Store;
  const sender = createSender({ store, matrix: {} as never, triggers: {} as never, runtime: await kitRuntime(), logger });
  sender.kick();
  await askedP;
  await new Promise((r) => setImmediate(r));
  expect(logger.lines.map((l) => l.msg)).toContain('cannot list rooms with pending notices');
});
