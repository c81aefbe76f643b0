// Setting paths: how a place in monitor.yaml is named to an operator (`repos[0].notify[1]`).
export type Segment = string | number;
export type Path = readonly Segment[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `repos[0].notify`, `matrix.rooms["my room"]`; the empty path is "top level". */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || 'top level';
}

/** Splits an ajv instancePath (JSON pointer) into segments, numbering the ones that index a list in `data`. */
export function pointerToPath(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const out: Segment[] = [];
  let here: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(here)) {
      out.push(Number(key));
      here = here[Number(key)];
    } else {
      out.push(key);
      here = here !== null && typeof here === 'object' ? (here as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

/** The value at `path` in plain data, or undefined. */
export function valueAt(data: unknown, path: Path): unknown {
  let here = data;
  for (const seg of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[seg];
  }
  return here;
}
