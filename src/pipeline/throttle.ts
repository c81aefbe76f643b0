// Pure: the rate limit. A fixed window per (repo, room) opens with the first notice sent; up to
// `limit` notices go out in it; later ones are held and released together as one digest when the
// window ends, which opens the next window. Held items are never overtaken (order in a room).
export interface WindowState {
  until: number;
  count: number;
}

export type ThrottleDecision = { action: 'send'; window: WindowState } | { action: 'hold'; until: number };

export function decideThrottle(now: number, stored: WindowState | null, hasHeld: boolean, limit: number, windowMs: number): ThrottleDecision {
  // Windows are stored in wall-clock time: after the clock jumps back, a window would seem to last
  // as long as the jump. It never lasts longer than its length from now.
  const w = stored && { ...stored, until: Math.min(stored.until, now + windowMs) };
  const active = w !== null && now < w.until;
  if (hasHeld) return { action: 'hold', until: active ? w.until : now };
  if (!active) return { action: 'send', window: { until: now + windowMs, count: 1 } };
  if (w.count < limit) return { action: 'send', window: { until: w.until, count: w.count + 1 } };
  return { action: 'hold', until: w.until };
}

/** The window a released digest opens. */
export function windowAfterRelease(now: number, windowMs: number): WindowState {
  return { until: now + windowMs, count: 1 };
}
