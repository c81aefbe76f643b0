// When a rate-limit window ends, its held notices go out: one digest for several, the notice itself
// for one. The release opens the next window. Run by the one replica that holds the lease.
// Each (repo, room) group is released on its own: a group that cannot be rendered goes out in the
// plain built-in wording, and one that cannot be released at all is logged and left for the next
// pass — no group holds another back.
import type { NoticeItem } from '../events/notice-item.ts';
import type { NewNotice, NoticeRow, Outbox } from '../adapters/store/types.ts';
import { renderDigest, type MatrixContent } from '../render/render.ts';
import { renderItem } from './render-item.ts';
import type { Runtime, RuntimeRef } from '../runtime/runtime.ts';
import { windowAfterRelease } from './throttle.ts';
import type { WindowStore } from './windows.ts';
import { digestTxnId } from './ids.ts';
import { plainNotice } from './plain-notice.ts';
import { toRoom } from '../adapters/store/destination.ts';
import type { Logger } from '../log.ts';

export interface ReleaseDeps {
  store: Outbox;
  windows: WindowStore;
  runtime: RuntimeRef;
  now: () => number;
  logger?: Logger;
  /** A group's template failed and it went out in the plain built-in wording. */
  onRenderFallback?: (repo: string, room: string) => void;
}

const GROUPS_PER_PASS = 200;

function render(items: NoticeItem[], rt: Runtime, g: { repo: string; room: string }, deps: ReleaseDeps): MatrixContent {
  try {
    return items.length === 1 ? renderItem(items[0]!, rt) : renderDigest(items, rt.templates, rt.config.matrix.msgtype);
  } catch (e) {
    deps.logger?.error('digest render failed; sent in the plain built-in wording', { repo: g.repo, room: g.room, members: items.length, error: e });
    deps.onRenderFallback?.(g.repo, g.room);
    return plainNotice(items, rt.config.matrix.msgtype);
  }
}

async function releaseGroup(g: { repo: string; room: string }, now: number, rt: Runtime, deps: ReleaseDeps): Promise<boolean> {
  const members: NoticeRow[] = await deps.store.heldOf(g.repo, g.room);
  const first = members[0];
  if (!first) return false;
  const items = members.map((m) => JSON.parse(m.item) as NoticeItem);
  const content = JSON.stringify(render(items, rt, g, deps));
  // The release opens the next window, recorded with it; what the processing remembers changes in
  // the same transaction (a later batch deciding on this room must see it, not the expired one).
  const window = windowAfterRelease(now, rt.config.rateLimit.windowMs);
  const opens = { repo: g.repo, room: g.room, window, recorded: () => deps.windows.set(g.repo, g.room, window) };
  if (members.length === 1) {
    // False: the member changed between the read and the release (a processing batch merged it);
    // the next tick reads the group again.
    if (!(await deps.store.releaseHeld([first.id], null, { id: first.id, content }, opens))) return false;
  } else {
    const digest: NewNotice = {
      runId: null, deliveryId: null, repo: g.repo, dest: toRoom(g.room), kind: 'digest', status: 'pending', holdUntil: null,
      // From the members' delivery ids, never row ids: a reset or restored database reuses row ids,
      // and the homeserver would answer a reused txnId with the old event (a digest never shown).
      txnId: digestTxnId(members.map((m) => m.deliveryId ?? m.txnId), g.room), item: JSON.stringify({ members: items.length }),
      content, createdAt: now,
    };
    if (!(await deps.store.releaseHeld(members.map((m) => m.id), digest, null, opens))) return false;
  }
  deps.windows.set(g.repo, g.room, window); // (a store that cannot call back: set once committed)
  return true;
}

/** Releases due groups (up to 200 a pass; the next tick takes the rest); returns the rooms that now have pending notices. */
export async function releaseDue(deps: ReleaseDeps): Promise<string[]> {
  const now = deps.now();
  const rt = deps.runtime.get();
  const rooms = new Set<string>();
  // A group at a time, so a burst of many thousand held notices is never all in memory at once.
  // A hold ending later than one window from now was set before the clock went back: due now.
  for (const g of await deps.store.heldGroupsDue(now, GROUPS_PER_PASS, rt.config.rateLimit.windowMs)) {
    try {
      if (await releaseGroup(g, now, rt, deps)) rooms.add(g.room);
    } catch (e) {
      // Its window may be remembered though its transaction did not commit: read the windows again.
      deps.windows.forget();
      deps.logger?.error('digest release failed for one group; the others go on', { repo: g.repo, room: g.room, error: e });
    }
  }
  return [...rooms];
}
