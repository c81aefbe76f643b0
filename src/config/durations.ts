// Bounds on every duration of monitor.yaml. Each one ends up in a timer or a deadline, and Node's
// setTimeout takes at most 2^31-1 ms (~24.8 days): a longer delay fires at once, so
// `reconcile.interval: 30d` would loop. Every duration the schema declares gets the timer bound;
// the settings below get a tighter one (and a lower one) where a value past it is surely a mistake.
import schema from '../../schema/monitor.schema.json' with { type: 'json' };
import { formatDuration, parseDuration } from '../duration.ts';
import type { Path, Segment } from './path.ts';
import { finding, type Finding } from './problem.ts';

/** The longest delay a Node timer can wait, rounded down to a duration one can write. */
export const MAX_TIMER_MS = 24 * 86_400_000;

interface Bound { min: number; max: number }

/** By setting (`*` stands for a list index); min 1 ms means "zero would be a busy loop or an instant give-up". */
const BOUNDS: Record<string, Bound> = {
  'gitea.timeout': { min: 1, max: 600_000 },
  'server.drain_timeout': { min: 0, max: 600_000 }, // 0: stop at once, a valid choice
  'matrix.give_up_after': { min: 1, max: 7 * 86_400_000 },
  'rate_limit.window': { min: 1, max: 86_400_000 },
  'rate_limit.tag_grace': { min: 0, max: 60_000 }, // a tag notice waits this long for its release
  'reconcile.interval': { min: 1, max: 86_400_000 },
};
const DEFAULT_BOUND: Bound = { min: 0, max: MAX_TIMER_MS };

type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node };
const defs = (schema as unknown as { $defs: Record<string, Node> }).$defs;

/** Every setting path whose value is a duration, read from the schema (so new settings are covered). */
function durationPaths(node: Node, at: Segment[], out: Segment[][], depth = 0): Segment[][] {
  if (depth > 8) return out;
  if (node.$ref === '#/$defs/duration') out.push(at);
  else if (node.$ref?.startsWith('#/$defs/')) durationPaths(defs[node.$ref.slice(8)] ?? {}, at, out, depth + 1);
  for (const [k, v] of Object.entries(node.properties ?? {})) durationPaths(v, [...at, k], out, depth + 1);
  if (node.items) durationPaths(node.items, [...at, '*'], out, depth + 1);
  return out;
}

const PATHS = durationPaths(schema as unknown as Node, [], []);

/** The values found at a pattern path (`*` expands over a list) with their concrete paths. */
function valuesAt(data: unknown, pattern: Segment[], at: Segment[] = []): Array<{ path: Path; value: unknown }> {
  if (pattern.length === 0) return [{ path: at, value: data }];
  const [head, ...rest] = pattern;
  if (head === '*') return Array.isArray(data) ? data.flatMap((v, i) => valuesAt(v, rest, [...at, i])) : [];
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
  const v = (data as Record<string, unknown>)[head as string];
  return v === undefined ? [] : valuesAt(v, rest, [...at, head!]);
}

export function durationFindings(data: unknown): Finding[] {
  const out: Finding[] = [];
  for (const pattern of PATHS) {
    const bound = BOUNDS[pattern.join('.')] ?? DEFAULT_BOUND;
    for (const { path, value } of valuesAt(data, pattern)) {
      if (typeof value !== 'string') continue;
      let ms: number;
      try {
        ms = parseDuration(value);
      } catch (e) {
        out.push(finding(path, (e as Error).message)); // dropped by check.ts when the schema said it first
        continue;
      }
      if (ms < bound.min) out.push(finding(path, 'must be longer than 0'));
      else if (ms > bound.max) out.push(finding(path, `must be at most ${formatDuration(bound.max)} (got ${value})`));
    }
  }
  return out;
}
