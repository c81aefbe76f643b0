// Shape checks: ajv (JSON Schema 2020-12) against schema/monitor.schema.json, with ajv's errors
// rewritten into messages that name the setting and say what it must look like. The validator is
// compiled ahead of time (`npm run gen:validators`), so no start pays for compiling the schema.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { config as compiledConfig } from '../generated/config-validator.ts';
import { pointerToPath, valueAt, type Path } from './path.ts';
import { finding, type Finding } from './problem.ts';

// patternErrorMessage, an editor annotation (VS Code / yaml-language-server), carries our own pattern messages.
const validate = compiledConfig as ValidateFunction;

export const SECRET_SOURCE_FORMS = '{env: NAME}, {pass: path}, {file: path}';
const SECRET_KEYS = ['env', 'pass', 'file'];

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping', array: 'a list', string: 'a string', integer: 'a whole number',
  number: 'a number', boolean: 'true or false', null: 'empty',
};

export function schemaFindings(data: unknown): Finding[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const out: Finding[] = [];
  const under = (pointers: string[]) => (e: ErrorObject) => pointers.some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/'));
  // The only anyOf in the schema is "a string, or a secret source holding it" (runs.database,
  // state.url): a string is held to the string branch, anything else is a secret source.
  const unions = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  for (const pointer of unions) {
    if (typeof valueAt(data, pointerToPath(pointer, data)) !== 'string') out.push(secretSourceFinding(pointer, data, errors));
    else for (const e of errors.filter((x) => x.instancePath === pointer && x.keyword === 'pattern')) out.push(describe(e, data)!);
  }
  const inUnion = under(unions);
  // The only oneOf in the schema is a secret source; its three branches fail noisily, so each
  // failing source becomes one finding (or the one branch error that matters).
  const sources = errors.filter((e) => e.keyword === 'oneOf' && !inUnion(e)).map((e) => e.instancePath);
  const inSource = under(sources);
  for (const pointer of sources) out.push(secretSourceFinding(pointer, data, errors));
  for (const e of errors) {
    if (e.keyword === 'oneOf' || inSource(e) || inUnion(e)) continue;
    if (e.keyword === 'propertyNames') continue; // its inner error names the key
    const f = describe(e, data);
    if (f) out.push(f);
  }
  return out;
}

function secretSourceFinding(pointer: string, data: unknown, errors: ErrorObject[]): Finding {
  const path = pointerToPath(pointer, data);
  const value = valueAt(data, path);
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  // `{env: bad-name}`: the form is right, its content is not; say that instead of listing forms.
  if (keys.length === 1 && SECRET_KEYS.includes(keys[0]!)) {
    const inner = errors.find((e) => e.instancePath === `${pointer}/${keys[0]}`);
    if (inner) return describe(inner, data) ?? finding(path, `a secret source is one of ${SECRET_SOURCE_FORMS}`);
  }
  return finding(path, `a secret source is one of ${SECRET_SOURCE_FORMS}`);
}

function describe(e: ErrorObject, data: unknown): Finding | null {
  const path = pointerToPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, at: 'key', message: path.length ? finding(path, `missing required key "${p.missingProperty}"`).message : `missing required top-level key "${p.missingProperty}"` };
    case 'additionalProperties':
      return unknownKey(path, String(p.additionalProperty), e.parentSchema as { properties?: object });
    case 'type':
      if (path.length === 0) return finding(path, data === null ? 'the file is empty' : 'the file must be a mapping of settings (version, gitea, webhook, ...)');
      return finding(path, `must be ${String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ')}`);
    case 'pattern':
      return patternFinding(path, e);
    case 'enum': {
      const got = valueAt(data, path);
      const shown = typeof got === 'string' && got.length <= 40 ? ` (got "${got}")` : '';
      return finding(path, `must be one of ${(p.allowedValues as unknown[]).join(', ')}${shown}`);
    }
    case 'const':
      return finding(path, `must be ${JSON.stringify(p.allowedValue)}`);
    case 'minItems':
      return finding(path, `must have at least ${p.limit} item${p.limit === 1 ? '' : 's'}`);
    case 'minProperties':
      return finding(path, `must have at least ${p.limit} entr${p.limit === 1 ? 'y' : 'ies'}`);
    case 'minLength':
      return finding(path, p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`);
    case 'minimum':
      return finding(path, `must be at least ${p.limit}`);
    case 'maximum':
      return finding(path, `must be at most ${p.limit}`);
    case 'uniqueItems': {
      const [i, j] = [Number(p.i), Number(p.j)].sort((a, b) => a - b);
      const item = [...path, j!];
      const v = valueAt(data, item);
      return finding(item, typeof v === 'string' ? `"${v}" is listed twice` : `repeats item ${i}`);
    }
    default:
      return finding(path, e.message ?? 'is not valid');
  }
}

function patternFinding(path: Path, e: ErrorObject): Finding {
  const custom = (e.parentSchema as { patternErrorMessage?: string } | undefined)?.patternErrorMessage;
  const message = custom ?? `must match ${(e.params as { pattern: string }).pattern}`;
  // A bad map key (propertyNames): point at the key and name it.
  const key = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (key !== undefined) return { ...finding(path, `key "${key}" ${message}`), path: [...path, key], at: 'key' };
  return finding(path, message);
}

function unknownKey(path: Path, key: string, parent: { properties?: object }): Finding {
  const known = Object.keys(parent.properties ?? {});
  const close = known.filter((k) => editDistance(k, key) <= 2).sort((a, b) => editDistance(a, key) - editDistance(b, key))[0];
  const hint = close ? ` (did you mean "${close}"?)` : path.length === 1 && path[0] === 'templates' ? ` (known: ${known.join(', ')})` : '';
  const what = path.length === 1 && path[0] === 'templates' ? 'unknown template' : 'unknown key';
  const message = path.length ? finding(path, `${what} "${key}"${hint}`).message : `unknown top-level key "${key}"${hint}`;
  return { path: [...path, key], at: 'key', message };
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
