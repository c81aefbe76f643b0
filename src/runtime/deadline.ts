// Shutdown steps under one budget (server.drain_timeout): each step gets what is left of it, and a
// step that is still running when it runs out is left behind, logged, so SIGTERM never waits on a
// peer that hangs (a Gitea that never answers, a stuck send).
import type { Logger } from '../log.ts';

/** True when `p` settled within `ms`, false when the time ran out first (`p` keeps running). */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Budget {
  /** Milliseconds left of the budget (0 when spent). */
  left(): number;
  /** Runs `step` with what is left (at least `minMs`); logs when it was cut short. */
  step(name: string, run: () => Promise<unknown> | undefined, minMs?: number): Promise<void>;
}

export function shutdownBudget(totalMs: number, logger: Logger, now: () => number = Date.now): Budget {
  const until = now() + totalMs;
  const left = () => Math.max(0, until - now());
  return {
    left,
    async step(name, run, minMs = 0) {
      const ms = Math.max(left(), minMs);
      if (!(await within(Promise.resolve(run()), ms))) logger.warn('shutdown step cut short (server.drain_timeout)', { step: name, waited_ms: ms });
    },
  };
}
