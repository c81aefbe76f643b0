// The in-flight body budget: bytes of request bodies held in memory at once, over all connections
// (server.inflight_body_limit). Each request takes a lease, grows it as bytes arrive and gives it back
// when its delivery is stored or refused, so memory is bounded however many clients send at once.
export interface BodyLease {
  /** Reserve n more bytes; false = over the budget (nothing reserved). */
  take(n: number): boolean;
  /** Give back everything this lease holds (idempotent). */
  release(): void;
}

export interface BodyBudget {
  lease(): BodyLease;
  /** Bytes held right now. */
  used(): number;
}

export function createBodyBudget(limit: () => number): BodyBudget {
  let used = 0;
  return {
    used: () => used,
    lease() {
      let held = 0;
      return {
        take(n) {
          // One body is always admitted when nothing else is held, so a limit below
          // server.body_limit delays the largest deliveries instead of refusing them forever.
          if (used - held > 0 && used + n > limit()) return false;
          used += n;
          held += n;
          return true;
        },
        release() {
          used -= held;
          held = 0;
        },
      };
    },
  };
}
