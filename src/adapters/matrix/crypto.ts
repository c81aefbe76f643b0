// End-to-end encryption of notices with the Rust crypto matrix-js-sdk uses (its OlmMachine from
// @matrix-org/matrix-sdk-crypto-wasm), loaded only when a configured room is encrypted. The
// bot's device keys live in a passphrase-encrypted store saved under the data folder, so the
// device (and its keys) stay the same across restarts. No sync loop: before each notice the
// module catches up once (to-device events, device-list changes, one-time key counts), tracks the
// room's members, claims missing Olm sessions, shares the megolm room key, then encrypts.
import { createHash } from 'node:crypto';
import type { Secret } from '../../secret.ts';
import type { MatrixPort } from './client.ts';
import { ensureIndexedDb, loadStores, saveStores } from './crypto-store.ts';

export interface RoomCrypto {
  /** The m.room.encrypted content for a m.room.message content. */
  encrypt(roomId: string, content: object): Promise<object>;
  /** Waits for a notice being encrypted, saves the store and closes it. */
  close(): Promise<void>;
}

export interface CryptoOptions {
  matrix: MatrixPort;
  /** The store file under the data folder. */
  file: string;
  passphrase: Secret;
}

// Only what the crypto needs from /sync: to_device, device_lists, key counts (no rooms at all).
const FILTER = JSON.stringify({ room: { rooms: [] }, presence: { types: [] }, account_data: { types: [] } });
const seg = encodeURIComponent;

type Json = Record<string, unknown>;
type Sync = { next_batch: string; to_device?: { events?: unknown[] }; device_lists?: { changed?: string[]; left?: string[] }; device_one_time_keys_count?: Record<string, number>; device_unused_fallback_key_types?: string[] };

export async function openRoomCrypto(o: CryptoOptions): Promise<RoomCrypto> {
  await ensureIndexedDb();
  const C = await import('@matrix-org/matrix-sdk-crypto-wasm');
  await C.initAsync();
  const who = await o.matrix.whoami();
  if (!who.deviceId) throw new Error('the access token has no device (whoami gave no device_id)');
  // One database name per store file: IndexedDB is process-wide (tests run several daemons).
  const STORE = `grm-crypto-${createHash('sha256').update(o.file).digest('hex').slice(0, 16)}`;
  await loadStores(o.file, STORE);
  const machine = await C.OlmMachine.initialize(new C.UserId(who.userId), new C.DeviceId(who.deviceId), STORE, o.passphrase.reveal());
  let since: string | null = null;

  const route = (r: { type: number } & Json): ['POST' | 'PUT', string] | null => {
    switch (r.type) {
      case C.RequestType.KeysUpload: return ['POST', '/keys/upload'];
      case C.RequestType.KeysQuery: return ['POST', '/keys/query'];
      case C.RequestType.KeysClaim: return ['POST', '/keys/claim'];
      case C.RequestType.ToDevice: return ['PUT', `/sendToDevice/${seg(String(r.event_type))}/${seg(String(r.txn_id))}`];
      default: return null; // signatures, backups, verification: not used by a notice bot
    }
  };
  /** Sends what the machine asks for, until it asks for nothing more. */
  const flush = async (given?: Array<{ id?: string; type: number; body: string }>) => {
    for (let round = 0, list = given ?? (await machine.outgoingRequests()); round < 5 && list.length; round++, list = await machine.outgoingRequests()) {
      for (const r of list) {
        const to = route(r as never);
        if (!to) continue;
        const answer = await o.matrix.raw<Json>(to[0], to[1], JSON.parse(r.body));
        if (r.id) await machine.markRequestAsSent(r.id, r.type, JSON.stringify(answer));
      }
      if (given) return;
    }
  };
  const catchUp = async () => {
    const r = await o.matrix.raw<Sync>('GET', '/sync', undefined, { filter: FILTER, timeout: '0', ...(since ? { since } : {}) });
    const lists = new C.DeviceLists((r.device_lists?.changed ?? []).map((u) => new C.UserId(u)), (r.device_lists?.left ?? []).map((u) => new C.UserId(u)));
    await machine.receiveSyncChanges(JSON.stringify(r.to_device?.events ?? []), lists, new Map(Object.entries(r.device_one_time_keys_count ?? {})), new Set(r.device_unused_fallback_key_types ?? []));
    since = r.next_batch;
  };

  try {
    await flush(); // device keys and one-time keys: a refusal here means encryption cannot be set up
    await catchUp();
    await saveStores(o.file, STORE);
  } catch (e) {
    machine.close(); // the next attempt opens the store again
    throw e;
  }

  let chain: Promise<unknown> = Promise.resolve();
  return {
    encrypt(roomId, content) {
      const run = async () => {
        await catchUp();
        await flush();
        const { joined } = await o.matrix.raw<{ joined?: Json }>('GET', `/rooms/${seg(roomId)}/joined_members`);
        // Fresh ids for every call: wasm-bindgen hands arrays of them over to the machine.
        const users = () => Object.keys(joined ?? {}).map((u) => new C.UserId(u));
        await machine.updateTrackedUsers(users());
        await flush();
        const claim = await machine.getMissingSessions(users());
        if (claim) await flush([claim]);
        await flush(await machine.shareRoomKey(new C.RoomId(roomId), users(), new C.EncryptionSettings()));
        const out = JSON.parse(await machine.encryptRoomEvent(new C.RoomId(roomId), 'm.room.message', JSON.stringify(content))) as object;
        await saveStores(o.file, STORE);
        return out;
      };
      // One notice at a time: sharing a room key is not re-entrant.
      const p = chain.then(run, run);
      chain = p.catch(() => undefined);
      return p;
    },
    async close() {
      await chain;
      await saveStores(o.file, STORE);
      machine.close();
    },
  };
}
