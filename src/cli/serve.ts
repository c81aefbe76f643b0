// `monitor serve [-c FILE]`: the daemon until SIGTERM/SIGINT, then drain and exit 0. It runs on a
// thread of its own with a capped young generation (runtime/daemon-thread.ts), which runs
// serve-daemon.ts; this thread loads nothing else.
import type { CliIO } from './io.ts';

export async function run(args: string[], _io: CliIO): Promise<number> {
  return (await import('../runtime/daemon-thread.ts')).serveOnDaemonThread(args);
}
