// When to release held notices: a timer at the earliest window end a processed delivery reported,
// plus whatever the once-a-second safety tick finds (e.g. windows of a previous run of the process).
import { releaseDue, type ReleaseDeps } from '../pipeline/release.ts';
import type { Logger } from '../log.ts';

export interface ReleaseScheduler {
  schedule(at: number): void;
  run(): Promise<void>;
  stop(): void;
}

export function createReleaseScheduler(deps: ReleaseDeps & { logger: Logger; active: () => boolean; onRooms(rooms: string[]): void }): ReleaseScheduler {
  let timer: NodeJS.Timeout | null = null;
  let at = Infinity;
  const run = async () => {
    timer = null;
    at = Infinity;
    if (!deps.active()) return;
    try {
      deps.onRooms(await releaseDue(deps));
    } catch (e) {
      deps.logger.error('digest release failed', { error: e });
    }
  };
  return {
    run,
    schedule(when) {
      if (when >= at) return;
      if (timer) clearTimeout(timer);
      at = when;
      timer = setTimeout(run, Math.max(0, when - deps.now())).unref();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
