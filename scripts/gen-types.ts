// Generates src/config/schema.types.ts from schema/monitor.schema.json (the one source of the
// config types). `npm run gen:types` rewrites it; test/config/schema-types.test.ts fails on drift.
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

export async function generateTypes(): Promise<string> {
  const schema = JSON.parse(await readFile(new URL('../schema/monitor.schema.json', import.meta.url), 'utf8'));
  return compile(schema, 'MonitorConfig', {
    bannerComment: '/* Generated from schema/monitor.schema.json by `npm run gen:types`. Do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: true,
    style: { singleQuote: true },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../src/config/schema.types.ts', import.meta.url), await generateTypes());
}
