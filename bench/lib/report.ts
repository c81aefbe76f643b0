// What every bench section returns, and the one table they are printed in.

/** One line of the table; `met` is null where there is no goal (orientation figures). */
export interface Row {
  section: string;
  measure: string;
  result: string;
  goal: string;
  met: boolean | null;
}

export interface SectionResult {
  name: string;
  rows: Row[];
  /** The raw numbers, written to bench/results/latest.json. */
  data: Record<string, unknown>;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (values: number[]) => percentile(values, 50);

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const mark = (met: boolean | null) => (met === null ? '' : met ? 'yes' : 'NO');

export function table(rows: Row[]): string {
  const head = ['section', 'measure', 'result', 'goal', 'met'];
  const cells = rows.map((r) => [r.section, r.measure, r.result, r.goal, mark(r.met)]);
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(width[i]!)).join(' | ')} |`;
  return [line(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
