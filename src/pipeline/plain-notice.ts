// The last-resort wording when a template cannot render a notice or digest (e.g. data past the
// template engine's memory limit): built here without the template engine, every string capped,
// so a bad delivery still produces a notice and never holds its room or other groups back.
import type { NoticeItem } from '../events/notice-item.ts';
import type { MatrixContent, Msgtype } from '../render/render.ts';

export const PLAIN_CAP = 256;

export function capped(s: string | null | undefined, cap = PLAIN_CAP): string {
  const v = String(s ?? '');
  return v.length <= cap ? v : v.slice(0, cap - 1) + '…';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "[owner/repo] 3 pushes, 7 commits to main by alice, bob" (or one item's summary line), plain. */
export function plainNotice(items: NoticeItem[], msgtype: Msgtype): MatrixContent {
  const first = items[0];
  const repo = capped(first?.repo.full_name);
  const commits = items.reduce((n, i) => n + (Number(i.total_commits) || 0), 0);
  const refs = [...new Set(items.map((i) => capped(i.ref_name)))].slice(0, 5).join(', ');
  const actors = [...new Set(items.map((i) => capped(i.actor)))].slice(0, 5).join(', ');
  const what = items.length === 1 ? `${capped(first?.kind)}` : `${items.length} events`;
  const body = capped(`[${repo}] ${what}, ${commits} commit${commits === 1 ? '' : 's'} to ${refs} by ${actors}`, PLAIN_CAP * 4);
  return { msgtype, body, format: 'org.matrix.custom.html', formatted_body: escapeHtml(body), 'm.mentions': {} };
}
