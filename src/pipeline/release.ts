// When a rate-limit window ends, its held notices go out: one digest for several, the notice itself
// for one. The release opens the next window. Run by the one replica that holds the lease.
import type { NoticeItem } from '../events/notice-item.ts';
import type { NewNotice, NoticeRow, Store } from '../adapters/store/types.ts';
import { renderDigest } from '../render/render.ts';
import { renderItem } from './render-item.ts';
import type { RuntimeRef } from '../runtime/runtime.ts';
import { windowAfterRelease } from './throttle.ts';
import type { WindowStore } from './windows.ts';
import { digestTxnId } from './ids.ts';

export interface ReleaseDeps {
  store: Store;
  windows: WindowStore;
  runtime: RuntimeRef;
  now: () => number;
}

const GROUPS_PER_PASS = 200;

/** Releases due groups (up to 200 a pass; the next tick takes the rest); returns the rooms that now have pending notices. */
export async function releaseDue(deps: ReleaseDeps): Promise<string[]> {
  const now = deps.now();
  const rt = deps.runtime.get();
  const rooms = new Set<string>();
  // A group at a time, so a burst of many thousand held notices is never all in memory at once.
  for (const g of await deps.store.heldGroupsDue(now, GROUPS_PER_PASS)) {
    const members: NoticeRow[] = await deps.store.heldOf(g.repo, g.room);
    const first = members[0];
    if (!first) continue;
    const items = members.map((m) => JSON.parse(m.item) as NoticeItem);
    if (members.length === 1) {
      await deps.store.releaseHeld([first.id], null, { id: first.id, content: JSON.stringify(renderItem(items[0]!, rt)) });
    } else {
      const ids = members.map((m) => m.id);
      const digest: NewNotice = {
        runId: null, deliveryId: null, repo: first.repo, room: first.room, kind: 'digest', status: 'pending', holdUntil: null,
        // From the members' delivery ids, never row ids: a reset or restored database reuses row ids,
        // and the homeserver would answer a reused txnId with the old event (a digest never shown).
        txnId: digestTxnId(members.map((m) => m.deliveryId ?? m.txnId), first.room), item: JSON.stringify(items),
        content: JSON.stringify(renderDigest(items, rt.templates, rt.config.matrix.msgtype)), createdAt: now,
      };
      await deps.store.releaseHeld(ids, digest, null);
    }
    await deps.windows.set(first.repo, first.room, windowAfterRelease(now, rt.config.rateLimit.windowMs));
    rooms.add(first.room);
  }
  return [...rooms];
}
