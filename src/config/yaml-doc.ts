// The YAML layer: parses monitor.yaml keeping every node's range, reports syntax errors and
// duplicate keys with their position, and places setting-path findings back into the file.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, type Path, type Segment } from './path.ts';
import type { Finding } from './problem.ts';

export interface Placed { line: number; col: number; message: string }

export interface YamlFile {
  /** The plain data (null when the text did not parse). */
  data: unknown;
  /** False after a syntax error: the data is then partial and not worth checking further. */
  parsed: boolean;
  /** Syntax errors and duplicate keys. */
  problems: Placed[];
  /** Where a finding points in the file. */
  place(f: Finding): Placed;
}

export function readYaml(text: string): YamlFile {
  const lines = new LineCounter();
  // uniqueKeys off: duplicates are found below, where the message can name the setting.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number) => lines.linePos(offset);
  // One syntax error per line: the parser's later complaints on the same line only cascade.
  const problems: Placed[] = [];
  for (const e of doc.errors) {
    const pos = at(e.pos[0]);
    if (!problems.some((p) => p.line === pos.line)) problems.push({ ...pos, message: `YAML syntax error: ${e.message.split('\n')[0]}` });
  }
  let data: unknown = null;
  if (problems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({ line: 1, col: 1, message: `YAML error: ${(e as Error).message}` });
    }
  }
  const parsed = problems.length === 0;
  if (parsed) duplicateKeys(doc.contents, [], problems, at);
  return { data, parsed, problems, place: (f) => place(doc, text, at, f) };
}

type At = (offset: number) => { line: number; col: number };

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function duplicateKeys(node: unknown, path: Segment[], out: Placed[], at: At): void {
  if (isMap(node)) {
    const seen = new Map<string, Node>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      if (key === undefined) continue;
      const first = seen.get(key);
      if (first?.range && isScalar(pair.key) && pair.key.range) {
        const where = path.length ? `${formatPath(path)}: duplicate key` : 'duplicate top-level key';
        out.push({ ...at(pair.key.range[0]), message: `${where} "${key}" (first on line ${at(first.range[0]).line})` });
      } else if (isScalar(pair.key)) seen.set(key, pair.key);
      duplicateKeys(pair.value, [...path, key], out, at);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => duplicateKeys(item, [...path, i], out, at));
  }
}

interface Found { node: Node | null; key: Node | null }

/** Follows `path` as far as the document goes; a later duplicate key wins, as in the data. */
function find(doc: Document, path: Path): Found {
  let node = doc.contents as Node | null;
  let key: Node | null = null;
  for (const seg of path) {
    if (isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? null;
    if (isMap(node)) {
      const pair = node.items.findLast((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      key = null;
      node = node.items[seg] as Node;
    } else break;
  }
  return { node, key };
}

function place(doc: Document, text: string, at: At, f: Finding): Placed {
  const { node, key } = find(doc, f.path);
  const empty = !node?.range || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
  const target = f.at === 'key' || empty ? (key ?? node) : node;
  const start = target?.range ? at(target.range[0]) : { line: 1, col: 1 };
  if (!f.inner || !isScalar(node) || !node.range) return { ...start, message: f.message };
  const inner = innerPosition(node.type, text.slice(node.range[0], node.range[1]), text, start, f.inner);
  return inner
    ? { ...inner, message: f.message }
    : { ...start, message: `${f.message} (line ${f.inner.line}, col ${f.inner.col} of the value)` };
}

/** Maps a position inside a string value to the file, where the scalar style keeps lines and columns intact. */
function innerPosition(type: string | undefined, source: string, text: string, start: { line: number; col: number }, inner: { line: number; col: number }) {
  if (type === 'BLOCK_LITERAL') {
    // Content starts on the line after the `|` indicator, every line indented alike.
    const fileLines = text.split('\n');
    const first = fileLines.slice(start.line).find((l) => l.trim() !== '');
    const indent = first ? first.length - first.trimStart().length : 0;
    return { line: start.line + inner.line, col: indent + inner.col };
  }
  if (source.includes('\n') || inner.line !== 1) return null;
  if (type === 'PLAIN') return { line: start.line, col: start.col + inner.col - 1 };
  if ((type === 'QUOTE_DOUBLE' && !source.includes('\\')) || (type === 'QUOTE_SINGLE' && !source.slice(1, -1).includes("''"))) {
    return { line: start.line, col: start.col + inner.col };
  }
  return null;
}
