// What a command may touch of its process: output streams, environment and working folder.
// Commands take it as a parameter so tests run them in-process with literals.
import { writeSync } from 'node:fs';
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT); long-running commands await it. */
  stopSignal?: Promise<string>;
}

export type Command = (args: string[], io: CliIO) => Promise<number>;

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

/** On a worker thread (the daemon's): the process's stdout and stderr written directly and
 * synchronously, as the main thread's are on Linux, instead of as messages through the main thread
 * (one per log line). */
export function threadIO(): CliIO {
  return {
    stdout: fdWriter(1, (t) => process.stdout.write(t)),
    stderr: fdWriter(2, (t) => process.stderr.write(t)),
    env: process.env,
    cwd: process.cwd(),
  };
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}
