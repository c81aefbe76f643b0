// Calls, answers and events between the daemon and the storage thread go a turn at a time: one
// postMessage for everything queued in a turn, unpacked in the order it was queued (issue 13).
import { expect, it } from 'vitest';
import { coalescingSender, eachMessage, type Message } from '../../../src/adapters/store/thread-messages.ts';

it('sends what one turn queued as one message, and the other side sees each in order', () => {
  const posted: unknown[] = [];
  const turns: Array<() => void> = [];
  const s = coalescingSender({ postMessage: (m) => posted.push(m) }, (fn) => turns.push(fn));
  s.post({ type: 'processed', repo: 'a/b' });
  s.post({ type: 'answer', id: 1 });
  s.post({ type: 'answer', id: 2 });
  expect(posted).toEqual([]);
  expect(turns).toHaveLength(1); // one flush per turn, not per message
  turns.shift()!();
  expect(posted).toHaveLength(1);
  const seen: Message[] = [];
  eachMessage(posted[0] as Message, (m) => seen.push(m));
  expect(seen).toEqual([{ type: 'processed', repo: 'a/b' }, { type: 'answer', id: 1 }, { type: 'answer', id: 2 }]);
});

it('a lone message goes as itself; flush sends at once; an empty turn sends nothing', () => {
  const posted: unknown[] = [];
  const turns: Array<() => void> = [];
  const s = coalescingSender({ postMessage: (m) => posted.push(m) }, (fn) => turns.push(fn));
  s.post({ type: 'answer', id: 7 });
  s.flush(); // e.g. before the port closes
  expect(posted).toEqual([{ type: 'answer', id: 7 }]);
  for (const fn of turns.splice(0)) fn();
  expect(posted).toHaveLength(1);
  const seen: Message[] = [];
  eachMessage(posted[0] as Message, (m) => seen.push(m));
  expect(seen).toEqual([{ type: 'answer', id: 7 }]);
});
