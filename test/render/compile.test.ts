import { describe, expect, it, vi } from 'vitest';
import { htmlEngine, textEngine } from '../../src/render/engine.ts';
import { compileTemplates, renderCatchUp, renderDigest, renderNotice, TemplateCompileError } from '../../src/render/render.ts';
import { TEMPLATE_NAMES } from '../../src/render/compile.ts';
import { BUILTIN_TEMPLATES } from '../../src/render/defaults.ts';
import type { TemplateName } from '../../src/config/config.ts';
import { item } from './load.ts';

describe('compileTemplates', () => {
  it('compiles a built-in text and html template for every template name', () => {
    const t = compileTemplates({});
    expect([...TEMPLATE_NAMES].sort()).toEqual(['branch_created', 'branch_deleted', 'catch_up', 'digest', 'push', 'release', 'tag_deleted', 'tag_pushed', 'test']);
    for (const name of TEMPLATE_NAMES) {
      expect(t.templates[name].custom).toBe(false);
      expect(t.templates[name].html).not.toBeNull();
    }
  });

  it('renders a user override of text and html, escaping commit text in the html', () => {
    const t = compileTemplates({
      push: {
        text: '{{ repo.name }}: {{ total_commits }} by {{ actor }}{% for c in commits %} | {{ c.title }}{% endfor %}',
        html: '<b>{{ repo.name }}</b>{% for c in commits %}<br><a href="{{ c.url }}">{{ c.short }}</a> {{ c.title }}{% endfor %}',
      },
    });
    const c = renderNotice(item('push-3-commits'), t);
    expect(c.body).toBe('demo: 3 by alice | Remove obsolete config | Fix <br> handling & escaping in café template | Add login form');
    expect(c.formatted_body).toBe(
      '<b>demo</b>' +
        '<br><a href="http://localhost:3000/alice/demo/commit/543d857ed70a980728d6262883d18cbefad6746b">543d857</a> Remove obsolete config' +
        '<br><a href="http://localhost:3000/alice/demo/commit/dacf415905ffd0d383df869f6c27c4b01f4f07b2">dacf415</a> Fix &lt;br&gt; handling &amp; escaping in café template' +
        '<br><a href="http://localhost:3000/alice/demo/commit/a84774805e49d7fd67243f0bbad5c49c88f9ad60">a847748</a> Add login form',
    );
    // Other kinds keep the built-in wording.
    expect(renderNotice(item('delete-branch'), t).body).toBe('[alice/demo] alice deleted branch feature/login');
  });

  it('derives the html from a text-only override: escaped, links kept, lines as <br>', () => {
    const t = compileTemplates({ push: { text: '{{ actor }} -> {{ ref_name }} <{{ total_commits }}>\n{{ compare_url }}' } });
    const c = renderNotice(item('push-1-commit'), t);
    const url = 'http://localhost:3000/alice/demo/compare/b0bd943fdeff95eb270517001b478d76c2ffd8f4...dfbccd9f778eb9450a1a3c5a97817b26bd031096';
    expect(c.body).toBe(`alice -> main <1>\n${url}`);
    expect(c.formatted_body).toBe(`alice -&gt; main &lt;1&gt;<br><a href="${url}">${url}</a>`);
  });

  it('holds a user html template to the Matrix allow-list, even with | raw', () => {
    const t = compileTemplates({
      push: { text: 'x', html: '<script>x()</script><b onclick="y">{{ actor }}</b><a href="javascript:z">l</a>{% for c in commits %}{{ c.title | raw }}{% endfor %}' },
    });
    const c = renderNotice(item('push-1-commit', (p) => { p.commits[0].message = '<img src=x onerror=alert(1)><i>ok</i>'; }), t);
    expect(c.formatted_body).toBe('&lt;script>x()&lt;/script><b>alice</b><a>l</a><img><i>ok</i>');
  });

  it('overrides the digest and catch-up wording too', () => {
    const t = compileTemplates({
      digest: { text: '{{ pushes }}/{{ total_commits }}/{{ pushers | join: "+" }}/{{ items.size }}' },
      catch_up: { text: 'offline: {{ ref_name }} {{ before_short }}..{{ after_short }}' },
    });
    expect(renderDigest([item('push-1-commit'), item('push-3-commits')], t).body).toBe('2/4/alice/2');
    expect(renderCatchUp(item('push-3-commits'), t).body).toBe('offline: main dfbccd9..543d857');
  });

  it.each<[TemplateName, 'text' | 'html', string]>([
    ['push', 'text', '{{ actor '],
    ['release', 'html', '{% if x %}no end'],
    ['digest', 'text', '{{ actor | no_such_filter }}'],
  ])('rejects templates.%s.%s = %j with an error naming it', (name, part, source) => {
    const overrides = { [name]: part === 'text' ? { text: source } : { text: 'ok', html: source } };
    let err: unknown;
    try {
      compileTemplates(overrides);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateCompileError);
    expect((err as TemplateCompileError).message).toMatch(new RegExp(`^templates\\.${name}\\.${part}: `));
    expect((err as TemplateCompileError).template).toBe(name);
    expect((err as TemplateCompileError).part).toBe(part);
  });

  it.each(['{% include "/etc/passwd" %}', '{% render "monitor.yaml" %}'])('never reads a file for %s: built-in wording, error reported', (source) => {
    const errors: unknown[] = [];
    const t = compileTemplates({ push: { text: source } }, { onRenderError: (_n, e) => errors.push(e) });
    expect(renderNotice(item('push-1-commit'), t).body).toBe(renderNotice(item('push-1-commit'), compileTemplates({})).body);
    expect(String(errors[0])).toMatch(/cannot include files|ENOENT|not found/i);
  });

  it('falls back to the built-in wording when a custom template fails at render time, and says so', () => {
    const errors: [TemplateName, unknown][] = [];
    const t = compileTemplates({ push: { text: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' } }, { onRenderError: (n, e) => errors.push([n, e]) });
    const c = renderNotice(item('push-1-commit'), t);
    expect(c.body.split('\n')[0]).toBe('[alice/demo] alice pushed 1 commit to main');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[0]).toBe('push');
    expect(String(errors[0]?.[1])).toMatch(/limit/);
  });

  it('renders from compiled templates without parsing any template again (it runs for every push)', () => {
    const t = compileTemplates({});
    const items = [item('push-3-commits'), item('push-25-commits'), item('release-published')];
    // What a render costs is measured by `npm run bench`; what a test can hold is that the parse,
    // the expensive part, happened once at compile time and never per notice.
    const parses = [vi.spyOn(textEngine, 'parse'), vi.spyOn(htmlEngine, 'parse')];
    try {
      for (let i = 0; i < 30; i++) expect(renderNotice(items[i % 3]!, t).body).not.toBe('');
      for (const p of parses) expect(p).not.toHaveBeenCalled();
    } finally {
      for (const p of parses) p.mockRestore();
    }
  });

  it('ships built-ins that are plain Liquid (no host-only helpers) a user can copy', () => {
    for (const name of TEMPLATE_NAMES) {
      const copy = compileTemplates({ [name]: BUILTIN_TEMPLATES[name] });
      expect(copy.templates[name].custom).toBe(true);
    }
    const copied = compileTemplates({ push: BUILTIN_TEMPLATES.push });
    expect(renderNotice(item('push-25-commits'), copied)).toEqual(renderNotice(item('push-25-commits'), compileTemplates({})));
  });
});
