// Pure: a release created in Gitea's UI with a new tag arrives as push (tag), create, then release
// `published`, within a second (services/release/release.go). Without help the room reads "tagged
// v1.2" now and "released v1.2" one rate-limit window later. So a pushed tag's notice waits
// `rate_limit.tag_grace`; a release of the same tag that arrives meanwhile and goes out now takes
// its place (the tag notice is merged into the release notice, the tag's run settles with it).
import type { NoticeItem } from '../events/notice-item.ts';
import type { NoticeRow } from '../adapters/store/types.ts';
import type { ThrottleDecision } from './throttle.ts';

/** A tag notice is held for the grace period (longer if the rate limit holds it longer anyway). */
export function withTagGrace(t: ThrottleDecision, now: number, graceMs: number): ThrottleDecision {
  if (graceMs <= 0) return t;
  if (t.action === 'send') return { action: 'hold', until: now + graceMs };
  return { action: 'hold', until: Math.max(t.until, now + graceMs) };
}

/** The held notices of a room that announce pushing `tag` (the ones its release replaces). */
export function heldTagNotices(held: readonly NoticeRow[], tag: string): number[] {
  return held
    .filter((n) => {
      if (n.kind !== 'notice') return false;
      const item = JSON.parse(n.item) as Partial<NoticeItem>;
      return item.kind === 'tag_pushed' && item.ref_name === tag;
    })
    .map((n) => n.id);
}
