// Messages between the daemon thread and the storage thread, a turn of the event loop at a time:
// the first message of a turn goes at once, and every call, answer and event queued after it in
// that turn goes in one postMessage at the turn's end, in order, so under load the other thread
// wakes once for a batch instead of once per delivery (a postMessage and a wake-up cost as much as
// a row's insert), and when idle nothing waits.
export type Message = { type: string } & Record<string, unknown>;
interface Batch {
  type: 'batch';
  msgs: Message[];
}

export interface Sender {
  /** Queues a message; the queue goes at the end of this turn (or on flush). */
  post(m: Message): void;
  /** Sends what is queued now (before the port closes, say). */
  flush(): void;
}

export function coalescingSender(port: { postMessage(m: unknown): void }, schedule: (fn: () => void) => void = setImmediate): Sender {
  // The first message of a turn goes at once (nothing waits when the thread is idle); the ones
  // after it in the same turn wait for the turn's end and go together.
  let turn = false;
  let queue: Message[] = [];
  const flush = () => {
    if (!queue.length) return;
    const msgs = queue;
    queue = [];
    port.postMessage(msgs.length === 1 ? msgs[0] : ({ type: 'batch', msgs } satisfies Batch));
  };
  const endTurn = () => {
    turn = false;
    flush();
  };
  return {
    post(m) {
      if (!turn) {
        turn = true;
        schedule(endTurn);
        port.postMessage(m);
      } else queue.push(m);
    },
    flush,
  };
}

/** Each message a posted message carries, in the order they were queued. */
export function eachMessage(m: Message, fn: (m: Message) => void): void {
  if (m.type === 'batch') for (const x of (m as unknown as Batch).msgs) fn(x);
  else fn(m);
}
