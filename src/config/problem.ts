// What the checks produce. A Finding names a place by its setting path (no YAML in sight);
// the YAML layer turns it into a Problem with the file's line and column.
import { formatPath, type Path } from './path.ts';

/** One thing wrong with the file, 1-based line/col. */
export interface Problem { file: string; line: number; col: number; message: string }

export interface Finding {
  path: Path;
  message: string;
  /** Point at the key of `path` instead of its value (unknown keys, duplicates). */
  at?: 'key' | 'value';
  /** A 1-based position inside the (multi-line) string value, e.g. a template's error. */
  inner?: { line: number; col: number };
}

/** `repos[0].notify: must ...`; at the top level the message stands alone. */
export function say(path: Path, message: string): string {
  return path.length ? `${formatPath(path)}: ${message}` : message;
}

export function finding(path: Path, message: string, extra: Omit<Finding, 'path' | 'message'> = {}): Finding {
  return { path, message: say(path, message), ...extra };
}
