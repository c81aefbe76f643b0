// One notice's content: the catch-up wording for a catch-up item, the kind's own wording otherwise.
import type { NoticeItem } from '../events/notice-item.ts';
import { renderCatchUp, renderNotice, type MatrixContent } from '../render/render.ts';
import type { Runtime } from '../runtime/runtime.ts';

export function renderItem(item: NoticeItem, rt: Runtime): MatrixContent {
  return item.kind === 'catch_up' ? renderCatchUp(item, rt.templates, rt.config.matrix.msgtype) : renderNotice(item, rt.templates, rt.config.matrix.msgtype);
}
