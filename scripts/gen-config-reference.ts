// Generates the configuration reference of README.md (a table per section) from the schema's
// descriptions and defaults. `node scripts/gen-config-reference.ts --write` replaces the block
// between the markers; test/config/reference.test.ts fails when README and schema drift apart.
import { readFile, writeFile } from 'node:fs/promises';
import schemaJson from '../schema/monitor.schema.json' with { type: 'json' };

interface Schema {
  $ref?: string; type?: string | string[]; description?: string; default?: unknown; const?: unknown; enum?: unknown[];
  properties?: Record<string, Schema>; required?: string[]; items?: Schema; additionalProperties?: boolean | Schema;
  examples?: unknown[]; oneOf?: Schema[]; anyOf?: Schema[];
}

const schema = schemaJson as unknown as Schema & { $defs: Record<string, Schema> };
const defs = schema.$defs;
export const START = '<!-- config-reference:start -->';
export const END = '<!-- config-reference:end -->';

const LABELS: Record<string, string> = {
  httpUrl: 'URL', duration: 'duration', size: 'size', secretSource: 'secret source', name: 'name',
  hookEvent: 'hook event', template: 'template',
};
const refCounts = new Map<string, number>();
for (const m of JSON.stringify(schema).matchAll(/"#\/\$defs\/([A-Za-z]+)"/g)) refCounts.set(m[1]!, (refCounts.get(m[1]!) ?? 0) + 1);

const refName = (s: Schema) => s.$ref?.replace('#/$defs/', '');
/** A def used once (repoRule, trigger) is documented in place; shared ones go to "Value types". */
const inlined = (name: string) => (refCounts.get(name) ?? 0) === 1 && defs[name]?.properties !== undefined;
function resolved(s: Schema): Schema {
  const name = refName(s);
  if (!name) return s;
  const { $ref: _, ...rest } = s;
  return { ...defs[name], ...rest };
}

const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*').replace(/\n/g, ' ');
const code = (text: string) => '`' + text.replace(/\|/g, '\\|') + '`';

function typeOf(s: Schema): string {
  const name = refName(s);
  if (name && !inlined(name)) return LABELS[name] ?? name;
  const r = resolved(s);
  if (r.anyOf) return r.anyOf.map(typeOf).join(' or ');
  if ('const' in r) return code(JSON.stringify(r.const));
  if (r.enum) return r.enum.map((v) => code(String(v))).join(' \\| ');
  if (r.type === 'array') return `list of ${r.items ? typeOf(r.items) : 'values'}`;
  if (r.type === 'object' && typeof r.additionalProperties === 'object') return `map: name → ${typeOf(r.additionalProperties)}`;
  if (r.type === 'object') return 'mapping';
  if (Array.isArray(r.type)) return r.type.join(' or ');
  return r.type ?? 'value';
}

function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')} }`;
  // Quoted only where YAML needs it (a leading indicator such as `*`, `: `, ` #`, flow punctuation).
  if (typeof v === 'string') return v === '' || /^[\s[\]{},#&*!|>'"%@`]|: | #|[,[\]{}]|[:\s]$/.test(v) ? JSON.stringify(v) : v;
  return String(v);
}

function defaultOf(s: Schema, required: boolean): string {
  if (required) return '**required**';
  return 'default' in s ? code(flow(s.default)) : '—';
}

interface Row { key: string; type: string; dflt: string; description: string }

/** Rows for the settings below `s` (an object, or a list of objects), keys prefixed by `path`. */
function rows(s: Schema, path: string): Row[] {
  const r = resolved(s);
  const target = r.type === 'array' && r.items && inlinable(r.items) ? resolved(r.items) : r;
  const prefix = target === r ? path : `${path}[]`;
  const out: Row[] = [];
  for (const [key, child] of Object.entries(target.properties ?? {})) {
    const c = resolved(child);
    const full = `${prefix}.${key}`;
    out.push({ key: full, type: typeOf(child), dflt: defaultOf(c, target.required?.includes(key) ?? false), description: c.description ?? '' });
    if (inlinable(child) || (c.type === 'array' && c.items && inlinable(c.items))) out.push(...rows(child, full));
  }
  return out;
}

function inlinable(s: Schema): boolean {
  const name = refName(s);
  return name ? inlined(name) : s.properties !== undefined;
}

function table(rs: Row[]): string {
  return ['| key | type | default | description |', '|---|---|---|---|', ...rs.map((r) => `| ${code(r.key)} | ${r.type} | ${r.dflt} | ${cell(r.description)} |`)].join('\n');
}

function section(key: string, s: Schema, required: boolean): string {
  const r = resolved(s);
  const head = `### \`${key}\`${required ? ' (required)' : ''}\n\n${cell(r.description ?? '')}`;
  const own: Row = { key, type: typeOf(s), dflt: defaultOf(r, required), description: r.description ?? '' };
  const body = rows(s, key);
  return `${head}\n\n${table(body.length ? body : [own])}`;
}

function valueTypes(): string {
  const lines = ['### Value types', '', '| type | written as | description |', '|---|---|---|'];
  for (const [name, d] of Object.entries(defs)) {
    if (inlined(name)) continue;
    const examples = (d.examples ?? d.enum ?? []).map((e) => code(flow(e))).join(', ');
    const parts = [d.description ?? '', ...(d.oneOf ?? [d]).flatMap((b) => Object.entries(b.properties ?? {}).map(([k, p]) => `${k}: ${p.description ?? ''}`))];
    lines.push(`| ${LABELS[name] ?? name} | ${examples || '—'} | ${cell(parts.filter(Boolean).join(' '))} |`);
  }
  return lines.join('\n');
}

/** The Markdown between the README markers (without them). */
export function generateReference(): string {
  const sections = Object.entries(schema.properties ?? {}).map(([key, s]) => section(key, s, schema.required?.includes(key) ?? false));
  const intro = [
    '<!-- Generated from schema/monitor.schema.json by `node scripts/gen-config-reference.ts --write`. Do not edit. -->',
    '',
    'Durations are `<number><unit>` with unit `ms`, `s`, `m`, `h` or `d`; relative paths are relative to the folder of `monitor.yaml`; ' +
      'every secret is a secret source, never the secret itself. `monitor validate` checks shape and meaning without reading secrets ' +
      '(`--resolve` reads them) and without calling Gitea or the homeserver: token scopes, repositories and rooms show in `monitor plan`, the log and `/webhook/health`.',
  ].join('\n');
  return [intro, ...sections, valueTypes()].join('\n\n');
}

export function replaceBlock(readme: string, block: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return `${readme.slice(0, start + START.length)}\n${block}\n${readme.slice(end)}`;
}

/** The block currently in README.md, as generateReference() would return it. */
export function currentBlock(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return readme.slice(start + START.length, end).replace(/^\n/, '').replace(/\n$/, '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const block = generateReference();
  if (process.argv.includes('--write')) {
    const file = new URL('../README.md', import.meta.url);
    await writeFile(file, replaceBlock(await readFile(file, 'utf8'), block));
  } else {
    process.stdout.write(block + '\n');
  }
}
