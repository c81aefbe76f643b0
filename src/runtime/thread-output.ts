// A worker thread's output written to the process's file descriptors itself, instead of as a message
// per line through the main thread: each text whole and in order, a turn of the event loop at a time.
import { writeSync } from 'node:fs';

/** Writes each text whole to a file descriptor, synchronously. If the descriptor would block
 * (opened non-blocking by whoever started us) before any of a text is out, or fails, that text (what
 * is left of it) and every later one go to `fallback` (so their order holds); once part of a text is
 * out, a descriptor that would block gets the rest, however long that takes. */
export function fdWriter(fd: number, fallback: (text: string) => void): (text: string) => void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let blocked = false;
  return (text) => {
    if (blocked) return fallback(text);
    let buf = Buffer.from(text);
    const total = buf.length;
    while (buf.length) {
      try {
        buf = buf.subarray(writeSync(fd, buf));
      } catch (e) {
        const wouldBlock = (e as NodeJS.ErrnoException).code === 'EAGAIN';
        if (wouldBlock && buf.length < total) {
          Atomics.wait(pause, 0, 0, 1); // part of the text is out: the rest must follow it
          continue;
        }
        // Would block before anything is out, or failed (EPIPE: the reader went away): from now on
        // the stream, as the main thread's output would be (an error event there, never an
        // exception in whoever logged).
        blocked = true;
        return fallback(buf.length === total ? text : buf.toString());
      }
    }
  };
}

/** Texts written during one turn of the event loop go out as one write, at the end of that turn
 * (`schedule`), once `max` characters wait, or on flush(): under load, one syscall carries the log
 * lines of every request the turn handled instead of one each. */
export function coalescing(write: (text: string) => void, schedule: (fn: () => void) => void = setImmediate, max = 64 * 1024) {
  let parts: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!parts.length) return;
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    parts = [];
    size = 0;
    write(text);
  };
  return {
    write(text: string) {
      parts.push(text);
      size += text.length;
      if (size >= max) flush();
      else if (!scheduled) (scheduled = true, schedule(flush));
    },
    flush,
  };
}

/** A worker thread's writer to a descriptor of the process (1, 2): coalesced per turn, flushed before the thread ends,
 * `fallback` once the descriptor would block or fails (see fdWriter). */
export function threadOutput(fd: number, fallback: (text: string) => void): (text: string) => void {
  const c = coalescing(fdWriter(fd, fallback));
  process.on('exit', c.flush);
  process.on('uncaughtExceptionMonitor', c.flush);
  return c.write;
}
