// A room member that is a full matrix-js-sdk client with its own Rust crypto (in memory), syncing
// against the homeserver stand-in: it uploads its device keys and decrypts what it receives.
import { ClientEvent, MatrixClient, MatrixEventEvent, SyncState, type MatrixEvent } from 'matrix-js-sdk';

const noop = (): void => {};
const quiet: any = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, getChild: () => quiet };

export interface SdkMember {
  client: MatrixClient;
  /** Resolves with the first `count` decrypted m.room.message events (in arrival order). */
  decrypted(count: number, timeoutMs?: number): Promise<MatrixEvent[]>;
  stop(): void;
}

export async function sdkMember(baseUrl: string, user: { token: string; userId: string; deviceId: string }): Promise<SdkMember> {
  const client = new MatrixClient({ baseUrl, accessToken: user.token, userId: user.userId, deviceId: user.deviceId, logger: quiet });
  await client.initRustCrypto({ useIndexedDB: false });
  const seen: MatrixEvent[] = [];
  const waiters: Array<() => void> = [];
  client.on(MatrixEventEvent.Decrypted, (ev: MatrixEvent) => {
    if (ev.getType() !== 'm.room.message' || ev.isDecryptionFailure()) return;
    seen.push(ev);
    waiters.splice(0).forEach((w) => w());
  });
  const prepared = new Promise<void>((resolve) => client.on(ClientEvent.Sync, (s: SyncState) => s === SyncState.Prepared && resolve()));
  await client.startClient({ initialSyncLimit: 10 });
  await prepared;
  // Its device keys are uploaded by the crypto's request loop after the first sync: wait until the
  // homeserver has them, or a sender would not know the device.
  const uploaded = async () => {
    const res = await fetch(`${baseUrl}/_matrix/client/v3/keys/query`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: JSON.stringify({ device_keys: { [user.userId]: [user.deviceId] } }) });
    return Boolean((await res.json()).device_keys?.[user.userId]?.[user.deviceId]);
  };
  for (let i = 0; !(await uploaded()); i++) {
    if (i === 200) throw new Error(`${user.userId} did not upload its device keys`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    client,
    decrypted(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${seen.length} of ${count} decrypted messages after ${timeoutMs} ms`)), timeoutMs);
        const check = () => (seen.length >= count ? (clearTimeout(t), resolve(seen.slice(0, count))) : waiters.push(check));
        check();
      });
    },
    stop: () => client.stopClient(),
  };
}
