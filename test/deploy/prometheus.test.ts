// deploy/prometheus/alerts.yaml: a valid rule file (groups, rules, for, labels, annotations) whose
// every expression uses only metrics the daemon registers (read from src/runtime/metrics.ts's
// registry, not from a list kept here) and only labels those metrics carry.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { parseDuration } from '../../src/duration.ts';
import { readYaml } from './manifests.ts';

const file = readYaml('deploy/prometheus/alerts.yaml');
const rules: Array<Record<string, any>> = file.groups.flatMap((g: { rules: unknown[] }) => g.rules);

/** Labels Prometheus itself attaches to every scraped series (the target's). */
const TARGET_LABELS = ['instance', 'job'];
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
/** Aggregation operators: `sum by (x) (...)` puts the grouping between the name and its "(". */
const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio']);

interface Selector { metric: string; labels: string[] }

/** The vector selectors of a PromQL expression (metric + matcher labels) and its grouping labels. */
export function scanPromql(expr: string): { selectors: Selector[]; grouping: string[] } {
  const src = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'); // strings say nothing about names
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const labelsIn = (body: string) => [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]!);
  const re = /\[[^\]]*\]|\{([^}]*)\}|([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\(|\{)?|\d+(?:\.\d+)?[a-z]*/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m[0].startsWith('[') || m[0].startsWith('{') || /^\d/.test(m[0])) continue; // range, bare matcher, number
    const word = m[2]!;
    if (m[3] === '(') {
      if (GROUPING.has(word)) {
        const close = src.indexOf(')', re.lastIndex);
        grouping.push(...src.slice(re.lastIndex, close).split(',').map((s) => s.trim()).filter(Boolean));
        re.lastIndex = close + 1;
      }
      continue; // a function or aggregation
    }
    if (KEYWORDS.has(word.toLowerCase()) || AGGREGATIONS.has(word) || GROUPING.has(word)) continue;
    let labels: string[] = [];
    if (m[3] === '{') {
      const close = src.indexOf('}', re.lastIndex);
      labels = labelsIn(src.slice(re.lastIndex, close));
      re.lastIndex = close + 1;
    }
    selectors.push({ metric: word, labels });
  }
  return { selectors, grouping };
}

/** Every series name the registry exposes, with its labels (histograms: _bucket/_sum/_count). */
function exposed(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of createMetrics().registry.getMetricsAsArray() as unknown as Array<{ name: string; labelNames?: string[]; constructor: { name: string } }>) {
    const labels = [...(m.labelNames ?? [])];
    if (m.constructor.name === 'Histogram') {
      out.set(`${m.name}_bucket`, [...labels, 'le']);
      out.set(`${m.name}_sum`, labels);
      out.set(`${m.name}_count`, labels);
    } else out.set(m.name, labels);
  }
  return out;
}

describe('the PromQL scanner', () => {
  it('finds selectors, matcher labels and grouping labels, and skips functions, ranges and strings', () => {
    expect(scanPromql('sum by (instance, outcome) (rate(a_total{outcome!~"x|y{z}"}[15m])) > 0 and on(job) b == 0')).toEqual({
      selectors: [{ metric: 'a_total', labels: ['outcome'] }, { metric: 'b', labels: [] }],
      grouping: ['instance', 'outcome', 'job'],
    });
  });
});

describe('deploy/prometheus/alerts.yaml', () => {
  const metrics = exposed();

  it('covers delivery failures, send failures, a failed reload and hooks that are not ready', () => {
    const used = new Set(rules.flatMap((r) => scanPromql(r.expr).selectors.map((s) => s.metric)));
    for (const m of ['monitor_deliveries_total', 'monitor_send_failures_total', 'monitor_config_last_reload_successful', 'monitor_hooks']) expect(used, m).toContain(m);
  });

  it('is a rule file Prometheus accepts: named alerts, an expression, durations, severity, summary', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      expect(typeof r.expr).toBe('string');
      if (r.for !== undefined) expect(() => parseDuration(r.for), r.alert).not.toThrow();
      for (const [, d] of r.expr.matchAll(/\[([^\]]+)\]/g)) expect(() => parseDuration(d), `${r.alert}: [${d}]`).not.toThrow();
      expect(['warning', 'critical']).toContain(r.labels?.severity);
      expect(typeof r.annotations?.summary).toBe('string');
    }
  });

  it('uses only metrics the daemon registers, with labels they carry', () => {
    for (const r of rules) {
      const { selectors, grouping } = scanPromql(r.expr);
      expect(selectors.length, r.alert).toBeGreaterThan(0);
      const labels = new Set(TARGET_LABELS);
      for (const s of selectors) {
        expect(metrics.has(s.metric), `${r.alert}: ${s.metric} is not in src/runtime/metrics.ts`).toBe(true);
        for (const l of metrics.get(s.metric) ?? []) labels.add(l);
        for (const l of s.labels) expect(metrics.get(s.metric), `${r.alert}: ${s.metric} has no label ${l}`).toContain(l);
      }
      for (const l of grouping) expect([...labels], `${r.alert}: grouping by ${l}`).toContain(l);
      for (const [, l] of JSON.stringify(r.annotations).matchAll(/\$labels\.([a-zA-Z_]+)/g)) expect([...labels], `${r.alert}: annotation uses ${l}`).toContain(l);
    }
  });
});
