// Compiles the built-in templates plus the user's overrides once (at config load), so rendering a
// notice is only a render of already-parsed templates.
import type { Config, TemplateName } from '../config/config.ts';
import { compileTemplate, renderCompiled, type CompiledTemplate } from './engine.ts';
import { BUILTIN_TEMPLATES } from './defaults.ts';
import { textToHtml } from './html.ts';

export const TEMPLATE_NAMES = Object.keys(BUILTIN_TEMPLATES) as TemplateName[];

/** One template, compiled: `html` null means "derive it from the text" (escaped, URLs linked). */
export interface CompiledPair {
  text: CompiledTemplate;
  html: CompiledTemplate | null;
  /** true when this came from monitor.yaml, false for the built-in wording. */
  custom: boolean;
}

export interface CompiledTemplates {
  readonly templates: Readonly<Record<TemplateName, CompiledPair>>;
  /** The built-in wording, used when a custom template fails at render time. */
  readonly builtin: Readonly<Record<TemplateName, CompiledPair>>;
  /** Told when a custom template fails to render (the built-in one is used instead). */
  readonly onRenderError: (name: TemplateName, err: unknown) => void;
}

/** A template from monitor.yaml that does not compile; `message` names `templates.<name>.<part>`. */
export class TemplateCompileError extends Error {
  readonly template: TemplateName;
  readonly part: 'text' | 'html';
  constructor(template: TemplateName, part: 'text' | 'html', cause: unknown) {
    super(`templates.${template}.${part}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TemplateCompileError';
    this.template = template;
    this.part = part;
  }
}

function compilePart(name: TemplateName, part: 'text' | 'html', source: string): CompiledTemplate {
  try {
    return compileTemplate(source, part);
  } catch (err) {
    throw new TemplateCompileError(name, part, err);
  }
}

function compileBuiltins(): Record<TemplateName, CompiledPair> {
  const out = {} as Record<TemplateName, CompiledPair>;
  for (const name of TEMPLATE_NAMES) {
    const src = BUILTIN_TEMPLATES[name];
    out[name] = { text: compilePart(name, 'text', src.text), html: compilePart(name, 'html', src.html), custom: false };
  }
  return out;
}

let builtinCache: Record<TemplateName, CompiledPair> | null = null;

/** Built-ins plus overrides; throws TemplateCompileError on the first template that does not compile. */
export function compileTemplates(
  overrides: Config['templates'] = {},
  opts: { onRenderError?: (name: TemplateName, err: unknown) => void } = {},
): CompiledTemplates {
  builtinCache ??= compileBuiltins();
  const templates = { ...builtinCache };
  for (const name of TEMPLATE_NAMES) {
    const o = overrides[name];
    if (!o) continue;
    templates[name] = {
      text: compilePart(name, 'text', o.text),
      html: o.html !== undefined ? compilePart(name, 'html', o.html) : null,
      custom: true,
    };
  }
  return { templates, builtin: builtinCache, onRenderError: opts.onRenderError ?? (() => {}) };
}

/** Renders one pair to (body, unsanitised html); throws what the engine throws. */
export function renderPair(pair: CompiledPair, data: object): { body: string; html: string } {
  const body = renderCompiled(pair.text, 'text', data).trim();
  const html = pair.html ? renderCompiled(pair.html, 'html', data).trim() : textToHtml(body);
  return { body, html };
}
