// Pure: the ref a delivery moves (recorded for catch-up: branch heads, tags, published releases),
// and whether it is already announced — a catch-up overtaken by a live delivery, or a live
// delivery for what catch-up announced — so nothing is posted twice.
import type { EventPayload } from '../events/payloads.ts';
import type { NoticeItem } from '../events/notice-item.ts';
import { SEEN_PREFIX, bareRef, releaseKey, tagKey } from './ref-keys.ts';

export interface RefMove {
  repo: string;
  /** The key in the records: the branch name, `tag:<name>` or `release:<tag>`. */
  branch: string;
  /** null: the ref is gone. */
  sha: string | null;
}

/** `item` as classified (before a catch-up relabels it). */
export function refMove(item: NoticeItem, ev: EventPayload): RefMove | null {
  const repo = item.repo.full_name;
  if (item.kind === 'test' || item.kind === 'created') return null;
  if (item.kind === 'release') {
    const r = ev.event === 'release' ? ev.payload : null;
    return r?.action === 'published' ? { repo, branch: releaseKey(item.ref_name), sha: String(r.release.id ?? 'published') } : null;
  }
  if (item.kind === 'tag_pushed') return item.after ? { repo, branch: tagKey(item.ref_name), sha: item.after } : null;
  if (item.kind === 'tag_deleted') return { repo, branch: tagKey(item.ref_name), sha: null };
  if (item.ref_type !== 'branch') return null;
  if (item.kind === 'branch_deleted') return { repo, branch: item.ref_name, sha: null };
  if (item.event !== 'push' || !item.after) return null;
  return { repo, branch: item.ref_name, sha: item.after };
}

/** Why this delivery must not be announced because of what the records know, or null. */
export function alreadyKnown(item: NoticeItem, catchUp: boolean, known: string | undefined): string | null {
  const announced = known !== undefined && !known.startsWith(SEEN_PREFIX);
  if (catchUp) {
    const stillNew =
      item.kind === 'push' ? bareRef(known) === item.before
      : item.kind === 'branch_deleted' ? known !== undefined
      : known === undefined; // branch_created, tag_pushed, release
    return stillNew ? null : 'superseded: a delivery changed this ref meanwhile';
  }
  // Only a head catch-up announced: one merely seen in a baseline listing may be this very push.
  if (item.kind === 'push' && announced && known === item.after) return 'already announced by catch-up';
  if (item.kind === 'tag_pushed' && announced && known === item.after) return 'already announced by catch-up';
  if (item.kind === 'release' && announced) return 'already announced by catch-up';
  return null;
}
