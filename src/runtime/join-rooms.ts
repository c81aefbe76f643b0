// At start, every configured room is resolved and joined, so a wrong room shows up at once, each
// with its own state for health: joined, not_joined (waiting for an invite), degraded (encrypted
// and nothing may be sent), or error. Notices for a room that is not joined are held, not failed.
import type { MatrixPort } from '../adapters/matrix/client.ts';
import type { EncryptionGuard } from '../pipeline/encryption-guard.ts';
import { tryJoin } from '../pipeline/room-join.ts';
import type { Logger } from '../log.ts';

export type RoomStates = Map<string, { state: string; detail: string | null }>;

export interface JoinRoomsDeps {
  matrix: MatrixPort;
  guard: EncryptionGuard;
  /** matrix.rooms: name -> alias or room id. */
  rooms: Record<string, string>;
  allowUnencrypted: readonly string[];
  states: RoomStates;
  logger: Logger;
}

export async function joinConfiguredRooms(deps: JoinRoomsDeps): Promise<void> {
  const { states, logger } = deps;
  await Promise.all(
    Object.entries(deps.rooms).map(async ([room, target]) => {
      const r = await tryJoin(deps.matrix, target);
      if (!r.ok) {
        states.set(room, { state: r.state, detail: r.detail });
        logger.error('cannot join room; notices for it are held and retried', { room, target, error: r.error.message });
        return;
      }
      states.set(room, { state: 'joined', detail: r.roomId });
      logger.info('room joined', { room, target, room_id: r.roomId });
      const refused = await deps.guard.refusal(room, r.roomId, deps.allowUnencrypted.includes(room)).catch(() => null);
      if (refused) (states.set(room, { state: 'degraded', detail: refused }), logger.error('encrypted room: notices are held', { room, reason: refused }));
    }),
  );
}
