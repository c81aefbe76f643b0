// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, and
// inclusive time of the project's own functions, so a hot spot can be named with numbers.
//   node bench/profile-summary.ts FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export function summarise(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const short = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|src|bin|bench)\//, '$1/').replace(/^node:/, 'node:') || '(native)';
  const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    add(fnSelf, label(n), t);
    add(fileSelf, short(n.callFrame.url).replace(/:\d+$/, ''), t);
  }
  // Inclusive time of each src/ (or bundled dist/) function (counted once per sample path, so recursion is not double counted).
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (!/\/(src|dist)\//.test(n.callFrame.url)) continue; // the sources, or their bundle (MONITOR_FROM_DIST)
      const k = label(n);
      if (!seen.has(k)) (seen.add(k), add(incl, k, t));
    }
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms`;
  const list = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `  ${pct(t)}  ${k}`).join('\n');
  return [
    `${file}: ${(total / 1e6).toFixed(2)} s sampled`,
    `self time by function (top ${top}):`, list(fnSelf, top),
    `self time by file (top ${top}):`, list(fileSelf, top),
    `inclusive time of src/ functions (top ${top}):`, list(incl, top),
  ].join('\n');
}

if (import.meta.main) console.log(summarise(process.argv[2]!, Number(process.argv[3] ?? 25)));
