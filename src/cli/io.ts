// What a command may touch of its process: output streams, environment and working folder.
// Commands take it as a parameter so tests run them in-process with literals.
import { threadOutput } from '../runtime/thread-output.ts';
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT); long-running commands await it. */
  stopSignal?: Promise<string>;
}

export type Command = (args: string[], io: CliIO) => Promise<number>;

/** On a worker thread (the daemon's): the process's stdout and stderr written directly and
 * synchronously, as the main thread's are on Linux, instead of as messages through the main thread
 * (one per log line), a turn of the event loop at a time. What waits goes out before the thread
 * ends, however it ends. */
export function threadIO(): CliIO {
  return {
    stdout: threadOutput(1, (t) => process.stdout.write(t)),
    stderr: threadOutput(2, (t) => process.stderr.write(t)),
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
