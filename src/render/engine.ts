// The sandboxed template engine: LiquidJS with no file system, no includes, own properties only,
// and parse/render/memory limits, so a template from monitor.yaml cannot read files, loop forever
// or exhaust memory. Two engines: `text` outputs verbatim, `html` HTML-escapes every {{ }} output.
import { Liquid, type Template } from 'liquidjs';

const LIMITS = {
  parseLimit: 64 * 1024,
  // ms of render time per template: stops a runaway loop, with room for a loaded machine (at 200 ms a
  // 100 KB template failed under load and fell back to the built-in text)
  renderLimit: 1000,
  memoryLimit: 8 * 1024 * 1024,
};

function engine(outputEscape?: 'escape'): Liquid {
  return new Liquid({
    ...LIMITS,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    dynamicPartials: false,
    relativeReference: false,
    root: [],
    partials: [],
    layouts: [],
    // Standard Liquid whitespace control: `{%-` / `-%}` trim every blank, newlines included, as in
    // Shopify's docs, so a template written across lines (built-ins included) renders tightly.
    greedy: true,
    ...(outputEscape ? { outputEscape } : {}),
    fs: {
      exists: async () => false,
      existsSync: () => false,
      readFile: async () => { throw new Error('templates cannot include files'); },
      readFileSync: () => { throw new Error('templates cannot include files'); },
      resolve: (_root: string, file: string) => file,
      contains: async () => false,
      sep: '/',
    },
  });
}

export const textEngine = engine();
export const htmlEngine = engine('escape');

export type CompiledTemplate = Template[];

/** Parses a template; throws a LiquidError (with line/col in its message) when it does not compile. */
export function compileTemplate(source: string, kind: 'text' | 'html'): CompiledTemplate {
  return (kind === 'html' ? htmlEngine : textEngine).parse(source);
}

export function renderCompiled(t: CompiledTemplate, kind: 'text' | 'html', data: object): string {
  return (kind === 'html' ? htmlEngine : textEngine).renderSync(t, data) as string;
}
