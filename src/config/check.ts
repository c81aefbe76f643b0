// The pure check of monitor.yaml text: YAML, then shape (schema), then meaning; every finding
// placed at its line and column. No secrets, no I/O.
import { meaningFindings } from './meaning.ts';
import type { Finding, Problem } from './problem.ts';
import { schemaFindings } from './schema-check.ts';
import { readYaml, type YamlFile } from './yaml-doc.ts';

export interface Analysis {
  problems: Problem[];
  /** The plain data; only trustworthy (a MonitorConfig) when there are no problems. */
  data: unknown;
  yaml: YamlFile;
}

export function analyse(text: string, file: string): Analysis {
  const yaml = readYaml(text);
  const placed = [...yaml.problems];
  if (yaml.parsed) {
    const shape = schemaFindings(yaml.data);
    // One problem per setting: a meaning check on a value of the wrong shape only repeats it.
    const shapePaths = new Set(shape.map((f) => pathKey(f)));
    const meaning = meaningFindings(yaml.data).filter((f) => !shapePaths.has(pathKey(f)));
    placed.push(...[...shape, ...meaning].map((f) => yaml.place(f)));
  }
  const seen = new Set<string>();
  const problems = placed
    .map((p) => ({ file, line: p.line, col: p.col, message: p.message }))
    .filter((p) => {
      const id = `${p.line}:${p.col}:${p.message}`;
      return seen.has(id) ? false : (seen.add(id), true);
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
  return { problems, data: yaml.data, yaml };
}

function pathKey(f: Finding): string {
  return JSON.stringify(f.path);
}
