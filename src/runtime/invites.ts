// While a configured room refuses the bot's join, look for its invite: a /sync filtered to invites
// only (no timeline, state or presence: the daemon needs no full sync), every matrix.invite_poll.
// An invite to a configured room is accepted by joining it; invites to other rooms are ignored.
import type { MatrixPort } from '../adapters/matrix/client.ts';
import { tryJoin } from '../pipeline/room-join.ts';
import type { Logger } from '../log.ts';
import { systemClock, type Clock, type TimerHandle } from '../clock.ts';

export interface InvitePollerDeps {
  matrix: MatrixPort;
  /** Configured rooms that refused the join: [name, alias or room id]. */
  waiting(): Array<[string, string]>;
  onJoined(room: string, roomId: string): void;
  intervalMs(): number;
  /** False while another replica leads: it does the polling. */
  active(): boolean;
  logger: Logger;
  /** The daemon's timers (default: the system clock). */
  clock?: Clock;
}

export interface InvitePoller {
  /** One poll now (also what the timer runs). */
  poll(): Promise<void>;
  stop(): void;
}

export function startInvitePoller(d: InvitePollerDeps): InvitePoller {
  let since: string | null = null;
  let watched = '';
  const clock = d.clock ?? systemClock;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;

  const once = async () => {
    const waiting = d.waiting();
    if (waiting.length === 0 || !d.active()) return;
    // A newly waiting room may already hold its invite: start from a fresh (initial) sync then.
    const key = JSON.stringify(waiting);
    if (key !== watched) (since = null, watched = key);
    const { next, roomIds } = await d.matrix.pendingInvites(since);
    for (const [room, target] of roomIds.length ? waiting : []) {
      const id = await d.matrix.resolveRoom(target);
      if (!roomIds.includes(id)) continue;
      const j = await tryJoin(d.matrix, target);
      if (!j.ok) throw j.error;
      d.logger.info('invite accepted, room joined', { room, target, room_id: j.roomId });
      d.onJoined(room, j.roomId);
    }
    since = next; // only once every invite in this answer was handled: a failure re-reads it
  };

  const poll = (): Promise<void> => {
    running ??= once()
      .catch((e) => d.logger.warn('looking for room invites failed; will try again', { error: (e as Error).message }))
      .finally(() => (running = null));
    return running;
  };

  const tick = () => {
    if (stopped) return;
    timer = clock.setTimeout(() => void poll().finally(tick), d.intervalMs()).unref();
  };
  tick();
  return {
    poll,
    stop() {
      stopped = true;
      clock.clearTimeout(timer);
    },
  };
}
