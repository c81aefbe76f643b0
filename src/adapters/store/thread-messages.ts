// Messages between the daemon thread and the storage thread, sent a turn of the event loop at a
// time: every call, answer and event queued during one turn goes in one postMessage, in order, so
// the other thread wakes once for a batch instead of once per delivery (a postMessage and a wake-up
// cost as much as a row's insert).
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
  let queue: Message[] = [];
  const flush = () => {
    if (!queue.length) return;
    const msgs = queue;
    queue = [];
    port.postMessage(msgs.length === 1 ? msgs[0] : ({ type: 'batch', msgs } satisfies Batch));
  };
  return {
    post(m) {
      if (queue.push(m) === 1) schedule(flush);
    },
    flush,
  };
}

/** Each message a posted message carries, in the order they were queued. */
export function eachMessage(m: Message, fn: (m: Message) => void): void {
  if (m.type === 'batch') for (const x of (m as unknown as Batch).msgs) fn(x);
  else fn(m);
}
