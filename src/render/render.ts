// NoticeItem(s) -> the Matrix `m.room.message` content: templates rendered, HTML held to the allow-list,
// `m.mentions: {}` (nobody is pinged by what a commit says), and the size kept under the event limit:
// first by listing fewer commits (the header and "and K more" stay), then by cutting the text.
import type { TemplateName } from '../config/config.ts';
import type { NoticeItem, NoticeKind } from '../events/notice-item.ts';
import { renderPair, type CompiledTemplates } from './compile.ts';
import { safeUrl, templateContext, type CommitContext } from './context.ts';
import { digestContext } from './digest.ts';
import { neutraliseBidi } from './bidi.ts';
import { sanitizeHtml } from './html.ts';
import { fits, truncateToFit } from './limit.ts';

export type Msgtype = 'm.notice' | 'm.text';

export interface MatrixContent {
  msgtype: Msgtype;
  body: string;
  format: 'org.matrix.custom.html';
  formatted_body: string;
  'm.mentions': Record<string, never>;
}

export { templateContext } from './context.ts';
export { digestContext } from './digest.ts';
export { compileTemplates, TemplateCompileError, type CompiledTemplates } from './compile.ts';

function matrixContent(body: string, formattedBody: string, msgtype: Msgtype): MatrixContent {
  return { msgtype, body, format: 'org.matrix.custom.html', formatted_body: formattedBody, 'm.mentions': {} };
}

/** Which template a kind uses; a `create` event reads like the push it accompanies. */
export function templateFor(item: Pick<NoticeItem, 'kind' | 'ref_type'>): TemplateName {
  const kind: NoticeKind = item.kind;
  if (kind === 'created') return item.ref_type === 'tag' ? 'tag_pushed' : 'branch_created';
  return kind;
}

interface Listing {
  commits: CommitContext[];
  more: number;
}

/** The same context listing only the first `n` commits, the dropped ones counted in `more`. */
function listingFirst<C extends Listing>(ctx: C, n: number): C {
  if (n >= ctx.commits.length) return ctx;
  const out = { ...ctx, commits: ctx.commits.slice(0, n), more: ctx.more + ctx.commits.length - n };
  if ('items' in ctx && Array.isArray(ctx.items)) return { ...out, items: (ctx.items as Listing[]).map((i) => listingFirst(i, n)) };
  return out;
}

function renderOnce(t: CompiledTemplates, name: TemplateName, data: object, msgtype: Msgtype): MatrixContent {
  const pair = t.templates[name];
  let out: { body: string; html: string };
  try {
    out = renderPair(pair, data);
  } catch (err) {
    // A custom template that compiled can still fail on data (render time or memory limit): the
    // notice still goes out, in the built-in wording, and the caller hears about it.
    if (!pair.custom) throw err;
    t.onRenderError(name, err);
    out = renderPair(t.builtin[name], data);
  }
  return matrixContent(neutraliseBidi(out.body), sanitizeHtml(neutraliseBidi(out.html)), msgtype);
}

function renderFitted<C extends Listing>(t: CompiledTemplates, name: TemplateName, ctx: C, msgtype: Msgtype): MatrixContent {
  let content = renderOnce(t, name, ctx, msgtype);
  for (let n = ctx.commits.length - 1; !fits(content) && n >= 0; n--) {
    content = renderOnce(t, name, listingFirst(ctx, n), msgtype);
  }
  if (fits(content)) return content;
  return truncateToFit(content.body, (body, html) => matrixContent(body, html, msgtype));
}

export function renderNotice(item: NoticeItem, t: CompiledTemplates, msgtype: Msgtype = 'm.notice'): MatrixContent {
  return renderFitted(t, templateFor(item), templateContext(item), msgtype);
}

/** One message for the notices a rate-limit window held back (oldest first, one repo). */
export function renderDigest(items: NoticeItem[], t: CompiledTemplates, msgtype: Msgtype = 'm.notice'): MatrixContent {
  return renderFitted(t, 'digest', digestContext(items), msgtype);
}

/** "While the monitor was offline, <branch> moved a..b": for a head that moved with no delivery seen. */
export function renderCatchUp(item: NoticeItem, t: CompiledTemplates, msgtype: Msgtype = 'm.notice'): MatrixContent {
  const ctx = templateContext(item);
  if (ctx.compare_url === '' && ctx.before !== '' && ctx.after !== '' && ctx.repo.url !== '') {
    ctx.compare_url = safeUrl(`${ctx.repo.url}/compare/${ctx.before}...${ctx.after}`);
  }
  return renderFitted(t, 'catch_up', ctx, msgtype);
}
