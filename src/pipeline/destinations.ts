// Per kind of destination, how its outbox rows are sent. Both kinds keep order within one
// destination (a row never overtakes an older one of the same room or trigger; destinations never
// wait for each other). They differ in when to give up:
// - a room: after matrix.give_up_after (default 1 h); a 403 re-joins the room once first;
// - a trigger: after 24 h of failures (a downstream CI may be down far longer than a homeserver
//   hiccup; calls are idempotent through X-Monitor-Delivery); a 403 is final, there is nothing to join.
import type { Config } from '../config/config.ts';
import type { Destination } from '../adapters/store/destination.ts';

export interface DestinationPolicy {
  giveUpAfterMs: number;
  /** A 403 means "not in the room": re-join once and retry. */
  canRejoin: boolean;
}

export const TRIGGER_GIVE_UP_MS = 24 * 3_600_000;

export function policyFor(dest: Destination, config: Config): DestinationPolicy {
  return dest.kind === 'room' ? { giveUpAfterMs: config.matrix.giveUpAfterMs, canRejoin: true } : { giveUpAfterMs: TRIGGER_GIVE_UP_MS, canRejoin: false };
}
