// Never plaintext into an encrypted room. Before a notice goes to a room, the room's
// m.room.encryption state is checked; an encrypted room gets nothing unless the notice can be
// encrypted or its matrix.rooms entry says allow_unencrypted: true. A room once seen encrypted
// stays so (the spec: encryption cannot be turned off), so only "not encrypted" is re-checked.
import { SendError, type MatrixPort } from '../adapters/matrix/client.ts';

export interface EncryptionGuard {
  /** Null when the notice may go out as is; otherwise why the room gets nothing now. */
  refusal(room: string, roomId: string, allowUnencrypted: boolean): Promise<string | null>;
  /** Throws a held ('unencrypted') SendError when the room must not get a plaintext notice. */
  check(room: string, roomId: string, allowUnencrypted: boolean): Promise<void>;
  forget(): void;
}

export function encryptionGuard(matrix: MatrixPort, why: () => string): EncryptionGuard {
  const encrypted = new Set<string>(); // room ids seen with m.room.encryption
  const refusal = async (room: string, roomId: string, allowUnencrypted: boolean): Promise<string | null> => {
    if (allowUnencrypted) return null;
    if (!encrypted.has(roomId)) {
      if ((await matrix.roomEncryption(roomId)) === null) return null;
      encrypted.add(roomId);
    }
    return `room "${room}" is end-to-end encrypted and ${why()}; nothing is sent to it in plaintext (matrix.rooms.${room}.allow_unencrypted: true would allow that)`;
  };
  return {
    refusal,
    async check(room, roomId, allowUnencrypted) {
      const reason = await refusal(room, roomId, allowUnencrypted);
      if (reason) throw new SendError({ kind: 'unencrypted', status: null, errcode: null, retryAfterMs: null, message: reason });
    },
    forget: () => encrypted.clear(),
  };
}
