// The built-in wording, written in Liquid exactly as a user would write `templates:` in monitor.yaml
// (copy one into a `|-` block scalar and adapt it). Variables: see context.ts and digest.ts.
// `text` becomes the plain `body` (verbatim); `html` becomes `formatted_body`, where every {{ }}
// output is HTML-escaped by the engine, so commit text can never inject markup.
import type { TemplateName } from '../config/config.ts';

export interface TemplateSource {
  text: string;
  html?: string;
}

// Shared pieces, inlined into each template below so every template stays self-contained.
const COMMITS_TEXT = `
{%- for c in commits %}
• {{ c.short }} {{ c.title }} ({{ c.author }})
{%- endfor %}
{%- if more > 0 %}
…and {{ more }} more
{%- endif %}`;

const COMMITS_HTML = `
{%- if commits.size > 0 %}<ul>
  {%- for c in commits %}<li><a href="{{ c.url }}"><code>{{ c.short }}</code></a> {{ c.title }} ({{ c.author }})</li>{% endfor -%}
</ul>{% endif %}
{%- if more > 0 %}…and {{ more }} more{% endif %}`;

// The compare link, or the branch when there is none: a push notice always carries a link.
const COMPARE_TEXT = `
{%- if compare_url != blank %}
Compare: {{ compare_url }}
{%- elsif ref_url != blank %}
{{ ref_url }}
{%- endif %}`;

const COMPARE_HTML = `
{%- if compare_url != blank %}{% if more > 0 or commits.size == 0 %}<br>{% endif %}<a href="{{ compare_url }}">Compare changes</a>{% endif %}`;

const REPO_HTML = `[<a href="{{ repo.url }}">{{ repo.full_name }}</a>]`;
const REF_HTML = `<a href="{{ ref_url }}">{{ ref_name }}</a>`;

export const BUILTIN_TEMPLATES: Readonly<Record<TemplateName, Required<TemplateSource>>> = {
  push: {
    text: `[{{ repo.full_name }}] {{ actor }} {% if forced %}force-pushed {{ ref_name }} to {{ after_short }}{% else %}pushed {{ total_commits }} {{ commits_word }} to {{ ref_name }}{% endif %}${COMMITS_TEXT}${COMPARE_TEXT}`,
    html: `${REPO_HTML} {{ actor }} {% if forced %}force-pushed ${REF_HTML} to <code>{{ after_short }}</code>{% else %}pushed {{ total_commits }} {{ commits_word }} to ${REF_HTML}{% endif %}${COMMITS_HTML}${COMPARE_HTML}`,
  },
  branch_created: {
    text: `[{{ repo.full_name }}] {{ actor }} created branch {{ ref_name }}{% if after_short != blank %} at {{ after_short }}{% endif %}${COMMITS_TEXT}${COMPARE_TEXT}`,
    html: `${REPO_HTML} {{ actor }} created branch ${REF_HTML}{% if after_short != blank %} at <code>{{ after_short }}</code>{% endif %}${COMMITS_HTML}${COMPARE_HTML}`,
  },
  branch_deleted: {
    text: `[{{ repo.full_name }}] {{ actor }} deleted branch {{ ref_name }}`,
    html: `${REPO_HTML} {{ actor }} deleted branch <code>{{ ref_name }}</code>`,
  },
  tag_pushed: {
    text: `[{{ repo.full_name }}] {{ actor }} tagged {{ ref_name }}{% if after_short != blank %} at {{ after_short }}{% endif %}
{%- if ref_url != blank %}
{{ ref_url }}
{%- endif %}`,
    html: `${REPO_HTML} {{ actor }} tagged ${REF_HTML}{% if after_short != blank %} at <code>{{ after_short }}</code>{% endif %}`,
  },
  tag_deleted: {
    text: `[{{ repo.full_name }}] {{ actor }} deleted tag {{ ref_name }}`,
    html: `${REPO_HTML} {{ actor }} deleted tag <code>{{ ref_name }}</code>`,
  },
  release: {
    text: `[{{ repo.full_name }}] {{ actor }} released {{ release.name }}{% if release.name != release.tag %} ({{ release.tag }}){% endif %}
{%- if release.prerelease %} (pre-release){% endif %}
{%- if release.url != blank %}
{{ release.url }}
{%- endif %}`,
    html: `${REPO_HTML} {{ actor }} released <a href="{{ release.url }}"><strong>{{ release.name }}</strong></a>
{%- if release.name != release.tag %} (${REF_HTML}){% endif %}
{%- if release.prerelease %} <em>(pre-release)</em>{% endif %}`,
  },
  test: {
    text: `Gitea test delivery for {{ repo.full_name }}: the hook works (sent by {{ actor }}, ref {{ ref_name }})`,
    html: `Gitea test delivery for <a href="{{ repo.url }}">{{ repo.full_name }}</a>: the hook works (sent by {{ actor }}, ref ${REF_HTML})`,
  },
  catch_up: {
    text: `[{{ repo.full_name }}] while the monitor was offline, {% case change %}{% when "branch_deleted" %}branch {{ ref_name }} was deleted
{%- when "tag_pushed" %}tag {{ ref_name }} was pushed{% if after_short != blank %} at {{ after_short }}{% endif %}
{%- when "release" %}{{ actor }} released {{ release.name }}{% if release.name != release.tag %} ({{ release.tag }}){% endif %}{% if release.url != blank %}
{{ release.url }}{% endif %}
{%- else %}{{ ref_name }} {% if before_short != blank %}moved {{ before_short }}..{{ after_short }}{% else %}appeared at {{ after_short }}{% endif %}{% if actor != "unknown" %} (head by {{ actor }}){% endif %}${COMMITS_TEXT}${COMPARE_TEXT}{% endcase %}`,
    html: `${REPO_HTML} while the monitor was offline, {% case change %}{% when "branch_deleted" %}branch <code>{{ ref_name }}</code> was deleted
{%- when "tag_pushed" %}tag ${REF_HTML} was pushed{% if after_short != blank %} at <code>{{ after_short }}</code>{% endif %}
{%- when "release" %}{{ actor }} released <a href="{{ release.url }}"><strong>{{ release.name }}</strong></a>{% if release.name != release.tag %} (${REF_HTML}){% endif %}
{%- else %}${REF_HTML} {% if before_short != blank %}moved <code>{{ before_short }}..{{ after_short }}</code>{% else %}appeared at <code>{{ after_short }}</code>{% endif %}{% if actor != "unknown" %} (head by {{ actor }}){% endif %}${COMMITS_HTML}{% endcase %}
{%- if compare_url != blank %}<br><a href="{{ compare_url }}">Compare changes</a>{% endif %}`,
  },
  digest: {
    text: `[{{ repo.full_name }}] {% if pushes > 0 %}{{ pushes }} {{ pushes_word }}, {{ total_commits }} {{ commits_word }}
{%- if branches.size > 0 %} to {{ branches | join: ", " }}{% endif %}{% else %}{{ notices }} updates{% endif %} by {{ pushers | join: ", " }} since the last notice
{%- if others.size > 0 %}
Also: {{ others | join: "; " }}
{%- endif %}${COMMITS_TEXT}${COMPARE_TEXT}`,
    html: `${REPO_HTML} {% if pushes > 0 %}{{ pushes }} {{ pushes_word }}, {{ total_commits }} {{ commits_word }}
{%- if branches.size > 0 %} to {{ branches | join: ", " }}{% endif %}{% else %}{{ notices }} updates{% endif %} by {{ pushers | join: ", " }} since the last notice
{%- if others.size > 0 %}<br>Also: {{ others | join: "; " }}{% endif %}${COMMITS_HTML}${COMPARE_HTML}`,
  },
};
