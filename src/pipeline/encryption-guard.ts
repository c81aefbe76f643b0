// Never plaintext into an encrypted room. Before a notice goes to a room, the room's
// m.room.encryption state is checked; an encrypted room gets the notice encrypted (the crypto is
// opened on first need), or nothing when encryption cannot be set up, unless its matrix.rooms
// entry says allow_unencrypted: true. A room once seen encrypted stays so (the spec: encryption
// cannot be turned off), so only "not encrypted" is re-checked.
import { SendError, type MatrixPort } from '../adapters/matrix/client.ts';
import type { RoomCrypto } from '../adapters/matrix/crypto.ts';

export interface EncryptionGuard {
  /** The crypto to encrypt with (null: send as is); throws a held ('unencrypted') SendError when the room must get nothing. */
  prepare(room: string, roomId: string, allowUnencrypted: boolean): Promise<RoomCrypto | null>;
  /** Null when the room can be sent to; otherwise why it gets nothing now. */
  refusal(room: string, roomId: string, allowUnencrypted: boolean): Promise<string | null>;
  forget(): void;
  /** Closes the crypto if it was opened (daemon stop). */
  close(): Promise<void>;
}

/** `open` opens the crypto, or answers null when no crypto store is configured (read at each use: reloads). */
export function encryptionGuard(matrix: MatrixPort, open: () => Promise<RoomCrypto> | null): EncryptionGuard {
  const encrypted = new Set<string>(); // room ids seen with m.room.encryption
  let crypto: Promise<RoomCrypto> | null = null;
  const refuse = (room: string, why: string) =>
    new SendError({ kind: 'unencrypted', status: null, errcode: null, retryAfterMs: null, message: `room "${room}" is end-to-end encrypted and ${why}; nothing is sent to it in plaintext (matrix.rooms.${room}.allow_unencrypted: true would allow that)` });

  const prepare = async (room: string, roomId: string, allowUnencrypted: boolean): Promise<RoomCrypto | null> => {
    if (!encrypted.has(roomId)) {
      if ((await matrix.roomEncryption(roomId)) === null) return null;
      encrypted.add(roomId);
    }
    crypto ??= open();
    if (!crypto) {
      if (allowUnencrypted) return null;
      throw refuse(room, 'no crypto store is set up (matrix.crypto_store)');
    }
    try {
      return await crypto;
    } catch (e) {
      crypto = null; // try again on the next notice
      if (allowUnencrypted) return null;
      throw refuse(room, `encryption cannot be set up: ${(e as Error).message}`);
    }
  };
  return {
    prepare,
    async refusal(room, roomId, allowUnencrypted) {
      try {
        await prepare(room, roomId, allowUnencrypted);
        return null;
      } catch (e) {
        return e instanceof SendError && e.failure.kind === 'unencrypted' ? e.failure.message : null;
      }
    },
    forget: () => encrypted.clear(),
    async close() {
      const c = await crypto?.catch(() => null);
      crypto = null;
      await c?.close();
    },
  };
}
