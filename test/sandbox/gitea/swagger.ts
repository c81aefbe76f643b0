// Validators built from Gitea's own swagger definitions (test/fixtures/gitea/swagger-definitions.json).
// Swagger leaves every field optional and open, which would let a missing or misspelt field
// pass; the "strict" variants require every documented field (minus Go `omitempty` ones) and
// forbid undocumented ones, so they check the stand-in's JSON against the published shape.
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { FIXTURES } from './helpers.ts';

// ajv and ajv-formats are CommonJS: under Node the default import is the export itself.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

type Definition = { properties: Record<string, unknown>; [k: string]: unknown };
const doc = JSON.parse(readFileSync(new URL('swagger-definitions.json', FIXTURES), 'utf8')) as { definitions: Record<string, Definition> };

/** Fields Gitea's structs tag `omitempty`, so a faithful response may leave them out. */
const OMITEMPTY: Record<string, string[]> = {
  Repository: ['parent', 'permissions', 'internal_tracker', 'external_tracker', 'external_wiki', 'repo_transfer'],
};

function strict(name: string): Definition {
  const def = goNullable(doc.definitions[name] as Definition);
  const required = Object.keys(def.properties).filter((k) => !(OMITEMPTY[name] ?? []).includes(k));
  return { ...def, required, additionalProperties: false };
}

/**
 * Go marshals nil slices, maps and pointers as `null`, which swagger 2.0 cannot say (Gitea's own
 * push-api-test.json has `"added": null`), so every array, object-map and $ref property may be null.
 */
function goNullable(def: Definition): Definition {
  const properties = Object.fromEntries(Object.entries(def.properties ?? {}).map(([key, raw]) => {
    const prop = raw as Record<string, unknown>;
    if (typeof prop.$ref === 'string') return [key, { anyOf: [{ $ref: prop.$ref }, { type: 'null' }] }];
    if (prop.type === 'array' || prop.type === 'object') return [key, { ...prop, type: [prop.type, 'null'] }];
    return [key, prop];
  }));
  return { ...def, properties };
}

const definitions: Record<string, Definition> = Object.fromEntries(Object.entries(doc.definitions).map(([k, d]) => [k, goNullable(d)]));
for (const name of ['Hook', 'Repository', 'Branch', 'Organization', 'ServerVersion', 'Tag', 'Release', 'Commit', 'Compare']) definitions[`Strict${name}`] = strict(name);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Swagger says `format: email`, yet Gitea itself sends "" for an organization without an email
// (e.g. a repository owner that is an org); accept exactly that, and real addresses.
ajv.addFormat('email', (s: string) => s === '' || /^[^\s@]+@[^\s@]+$/.test(s));
ajv.addSchema({ $id: 'gitea', definitions });

/** Returns ajv's error text, or null when `value` matches `definitions[name]`. */
export function swaggerErrors(name: string, value: unknown): string | null {
  const validate = ajv.getSchema(`gitea#/definitions/${name}`);
  if (!validate) throw new Error(`no swagger definition ${name}`);
  return validate(value) ? null : ajv.errorsText(validate.errors);
}
