// One clock and timer port for the daemon: wall-clock time for records, a monotonic clock for
// durations, and timers. The system clock in production; a fake one in tests moves only when told
// (advance), so "nothing else arrives within the window" needs no real waiting.
export interface TimerHandle {
  unref(): TimerHandle;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (what records store). */
  now(): number;
  /** Monotonic milliseconds (durations, give-up); never jumps. */
  mono(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle | null | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(h: TimerHandle | null | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  mono: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout | undefined),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout | undefined),
};

interface FakeTimer extends TimerHandle {
  due: number;
  fn: () => void;
  every: number | null;
  seq: number;
}

export interface FakeClock extends Clock {
  /** Moves time forward, running each timer that falls due in order (and letting what it starts run). */
  advance(ms: number): Promise<void>;
  /** Timers waiting (for assertions). */
  pending(): number;
}

/** A clock that stands still until `advance`: timers run in due order, async work in between. */
export function fakeClock(startAt = Date.UTC(2026, 0, 1)): FakeClock {
  let wall = startAt;
  let mono = 0;
  let seq = 0;
  const timers = new Set<FakeTimer>();
  const add = (fn: () => void, ms: number, every: number | null): FakeTimer => {
    const t: FakeTimer = { due: mono + Math.max(0, ms), fn, every, seq: seq++, unref: () => t };
    timers.add(t);
    return t;
  };
  const drop = (h: TimerHandle | null | undefined) => void timers.delete(h as FakeTimer);
  // Real I/O (loopback HTTP, SQLite) finishes on the real event loop: give it turns between timers.
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    now: () => wall,
    mono: () => mono,
    setTimeout: (fn, ms) => add(fn, ms, null),
    clearTimeout: drop,
    setInterval: (fn, ms) => add(fn, ms, Math.max(1, ms)),
    clearInterval: drop,
    pending: () => timers.size,
    async advance(ms) {
      const target = mono + ms;
      await settle();
      for (;;) {
        const next = [...timers].filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
        if (!next) break;
        wall += next.due - mono;
        mono = next.due;
        if (next.every === null) timers.delete(next);
        else next.due += next.every;
        next.fn();
        await settle();
      }
      wall += target - mono;
      mono = target;
      await settle();
    },
  };
}
