// Templates from monitor.yaml must compile in the very engine that renders them (text and html).
import { compileTemplate } from '../render/engine.ts';
import { finding, type Finding } from './problem.ts';

const LIQUID_POSITION = /, line:(\d+), col:(\d+)$/;

export function templateFindings(templates: unknown): Finding[] {
  if (templates === null || typeof templates !== 'object') return [];
  const out: Finding[] = [];
  for (const [name, t] of Object.entries(templates)) {
    if (t === null || typeof t !== 'object') continue;
    for (const kind of ['text', 'html'] as const) {
      const source = (t as Record<string, unknown>)[kind];
      if (typeof source !== 'string') continue;
      try {
        compileTemplate(source, kind);
      } catch (e) {
        out.push(compileFinding(['templates', name, kind], (e as Error).message));
      }
    }
  }
  return out;
}

function compileFinding(path: string[], raw: string): Finding {
  const m = LIQUID_POSITION.exec(raw);
  let text = (m ? raw.slice(0, m.index) : raw).replace(/\s*\n\s*/g, ' ');
  if (text.length > 200) text = text.slice(0, 199) + '…';
  const f = finding(path, `template does not compile: ${text}`);
  return m ? { ...f, inner: { line: Number(m[1]), col: Number(m[2]) } } : f;
}
