// Durations (`60s`, `5m`, `1h`, `250ms`, `1d`) and sizes (`5MiB`) as written in monitor.yaml.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1000, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** Milliseconds of a `<number><unit>` duration; throws on anything else. */
export function parseDuration(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`invalid duration "${text}": expected <number><unit> with unit ms, s, m, h or d`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** Bytes of a size such as `5MiB`, `512KB` or `1048576`; throws on anything else. */
export function parseSize(text: string): number {
  const m = /^([0-9]+)(B|KiB|MiB|GiB|KB|MB|GB)?$/.exec(text);
  if (!m) throw new Error(`invalid size "${text}": expected a number of bytes with an optional unit (KiB, MiB, GiB, KB, MB, GB)`);
  return Number(m[1]) * UNIT_BYTES[m[2] ?? 'B']!;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
