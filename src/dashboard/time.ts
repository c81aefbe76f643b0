// Human times for the dashboard, computed on the server (its clock stamps the runs, so a browser
// with a skewed clock still reads "just now" right after a push).

/** "just now", "3 min ago", "2 h ago", "5 d ago"; older than 30 days: the date. */
export function relativeTime(thenMs: number, nowMs: number): string {
  const s = Math.round((nowMs - thenMs) / 1000);
  if (s < 45) return 'just now'; // also a timestamp slightly in the future (another replica's clock)
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d <= 30) return `${d} d ago`;
  return new Date(thenMs).toISOString().slice(0, 10);
}

/** 0.4 ms, 12 ms, 1.25 s, 3.5 min, 2.1 h. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 10) / 100} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 6000) / 10} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
