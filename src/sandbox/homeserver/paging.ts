// /messages pagination as a pure function over a timeline, so its edge cases get a table test.

/** `dir=b` walks from newest to oldest, `dir=f` from oldest to newest. */
export interface PageRequest {
  dir: 'b' | 'f';
  /** A position between events: n sits just before the event at index n. */
  from?: number;
  limit: number;
}

export interface Page<T> {
  chunk: T[];
  start: number;
  /** Omitted once the walk has reached the end of the timeline, as the spec asks. */
  end?: number;
}

export function paginate<T>(items: readonly T[], req: PageRequest): Page<T> {
  const len = items.length;
  if (req.dir === 'b') {
    const from = clamp(req.from ?? len, len);
    const stop = Math.max(0, from - req.limit);
    const chunk = items.slice(stop, from).reverse();
    return stop > 0 ? { chunk, start: from, end: stop } : { chunk, start: from };
  }
  const from = clamp(req.from ?? 0, len);
  const stop = Math.min(len, from + req.limit);
  const chunk = items.slice(from, stop);
  return stop < len ? { chunk, start: from, end: stop } : { chunk, start: from };
}

function clamp(n: number, len: number): number {
  return Math.min(Math.max(0, n), len);
}

// Tokens are opaque to clients; the prefix makes a number from elsewhere fail loudly.
export function formatToken(position: number): string {
  return `s${position}`;
}

export function parseToken(token: string): number | undefined {
  const m = /^s(\d{1,9})$/.exec(token);
  return m ? Number(m[1]) : undefined;
}
