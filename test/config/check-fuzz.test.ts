// Bad input never crashes the checker: whatever the file holds, checkConfigText returns problems
// with real positions (a reload of a broken file must keep the last good config, not throw).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkConfigText } from '../../src/config/load.ts';

const VALID = `version: 1
gitea: { url: https://git.example.com, token: { env: T }, timeout: 5s }
webhook: { public_url: https://monitor.example.com/webhook/gitea, secret: { env: T }, events: [push] }
server: { listen: "0.0.0.0:8080", body_limit: 5MiB }
matrix: { homeserver: https://matrix.example.com, access_token: { env: T }, rooms: { news: "#news:example.com" } }
repos: [{ match: dataforge/*, notify: [news], branches: [main], events: [push] }]
templates: { push: { text: "{{ actor }}", html: "<b>{{ actor }}</b>" } }
triggers: [{ name: dag, url: "http://dag.internal/t", secret: { pass: dag/x }, repos: [dataforge/api] }]
state: { driver: redis, url: "redis://localhost:6379" }
rate_limit: { window: 60s }
`;

function lineCount(text: string): number {
  return text.split('\n').length;
}

function wellPlaced(text: string) {
  const problems = checkConfigText(text, 'f.yaml');
  for (const p of problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount(text));
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.message.length).toBeGreaterThan(0);
  }
  return problems;
}

/** Every path to a value in a plain object, for the mutations below. */
function paths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (v !== null && typeof v === 'object') return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  return [at];
}

function setAt(root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let here = copy;
  for (const seg of path.slice(0, -1)) here = here[seg] as Record<string | number, unknown>;
  here[path.at(-1)!] = value;
  return copy;
}

describe('checkConfigText on arbitrary input', () => {
  it('starts from a valid file', () => {
    expect(wellPlaced(VALID)).toEqual([]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => { wellPlaced(text); }), { numRuns: 300 });
  });

  it('never throws on any setting of the valid file replaced by any value', () => {
    const data = parse(VALID) as unknown;
    const all = paths(data);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        wellPlaced(stringify(setAt(data, path, value)));
      }),
      { numRuns: 400 },
    );
  });

  it('never throws when lines of the valid file are cut or dropped', () => {
    const lines = VALID.split('\n');
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(120), (i, cut) => {
        const edited = [...lines.slice(0, i), lines[i]!.slice(0, cut), ...lines.slice(i + 2)].join('\n');
        wellPlaced(edited);
      }),
      { numRuns: 300 },
    );
  });
});
