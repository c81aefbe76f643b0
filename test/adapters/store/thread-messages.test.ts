// Calls, answers and events between the daemon and the storage thread: the first message of a turn
// goes at once, the rest of that turn in one postMessage at its end, unpacked in order (issue 13).
import { expect, it } from 'vitest';
import { coalescingSender, eachMessage, type Message } from '../../../src/adapters/store/thread-messages.ts';

const unpack = (posted: unknown[]) => {
  const seen: Message[] = [];
  for (const p of posted) eachMessage(p as Message, (m) => seen.push(m));
  return seen;
};

it('sends the first message of a turn at once and the rest of the turn as one message, in order', () => {
  const posted: unknown[] = [];
  const turns: Array<() => void> = [];
  const s = coalescingSender({ postMessage: (m) => posted.push(m) }, (fn) => turns.push(fn));
  s.post({ type: 'processed', repo: 'a/b' });
  expect(posted).toEqual([{ type: 'processed', repo: 'a/b' }]); // an idle thread waits for nothing
  s.post({ type: 'answer', id: 1 });
  s.post({ type: 'answer', id: 2 });
  expect(posted).toHaveLength(1);
  expect(turns).toHaveLength(1); // one end-of-turn, not one per message
  turns.shift()!();
  expect(posted).toHaveLength(2);
  expect(unpack(posted)).toEqual([{ type: 'processed', repo: 'a/b' }, { type: 'answer', id: 1 }, { type: 'answer', id: 2 }]);
  // The next turn starts afresh: its first message goes at once again.
  s.post({ type: 'answer', id: 3 });
  expect(posted.at(-1)).toEqual({ type: 'answer', id: 3 });
});

it('flush sends what waits at once; a turn with nothing queued after its first message sends nothing more', () => {
  const posted: unknown[] = [];
  const turns: Array<() => void> = [];
  const s = coalescingSender({ postMessage: (m) => posted.push(m) }, (fn) => turns.push(fn));
  s.post({ type: 'answer', id: 6 });
  s.post({ type: 'answer', id: 7 });
  s.flush(); // e.g. before the port closes
  expect(unpack(posted)).toEqual([{ type: 'answer', id: 6 }, { type: 'answer', id: 7 }]);
  for (const fn of turns.splice(0)) fn();
  expect(posted).toHaveLength(2);
});
