// When to release held notices: a timer at the earliest window end a processed delivery reported,
// plus whatever the once-a-second safety tick finds (e.g. windows of a previous run of the process).
import { releaseDue, type ReleaseDeps } from '../pipeline/release.ts';
import type { Logger } from '../log.ts';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';

export interface ReleaseScheduler {
  schedule(at: number): void;
  run(): Promise<void>;
  stop(): void;
}

export interface ReleaseSchedulerDeps extends ReleaseDeps {
  logger: Logger;
  active: () => boolean;
  onRooms(rooms: string[]): void;
  clock?: Clock;
  /** Where the release runs (default: releaseDue here; the processing thread's when it owns SQLite). */
  release?: () => Promise<string[]>;
}

export function createReleaseScheduler(deps: ReleaseSchedulerDeps): ReleaseScheduler {
  const clock = deps.clock ?? systemClock;
  let timer: TimerHandle | null = null;
  let at = Infinity;
  const pass = async () => {
    if (!deps.active()) return;
    try {
      deps.onRooms(await (deps.release ? deps.release() : releaseDue(deps)));
    } catch (e) {
      deps.logger.error('digest release failed', { error: e });
    }
  };
  // One pass at a time: two overlapping passes would both read a group's held notices and the
  // second would collide with the first's digest. A call during a pass runs one more after it.
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    timer = null;
    at = Infinity;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again);
    })().finally(() => (running = null));
    return running;
  };
  return {
    run,
    schedule(when) {
      if (when >= at) return;
      if (timer) clock.clearTimeout(timer);
      at = when;
      timer = clock.setTimeout(() => void run(), Math.max(0, when - deps.now())).unref();
    },
    stop() {
      if (timer) clock.clearTimeout(timer);
      timer = null;
    },
  };
}
