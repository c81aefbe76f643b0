// A room member with its own crypto (the Rust OlmMachine matrix-js-sdk uses), talking to the
// homeserver stand-in over HTTP: it uploads its keys, syncs to-device messages and decrypts.
import * as C from '@matrix-org/matrix-sdk-crypto-wasm';

export interface OlmMember {
  /** Send what the crypto asks for (key upload, queries, claims, to-device). */
  flush(): Promise<void>;
  /** One /sync: to-device events (room keys), device lists, key counts. */
  sync(): Promise<void>;
  decrypt(event: object, roomId: string): Promise<{ type: string; content: Record<string, unknown> }>;
}

export async function olmMember(base: string, user: { token: string; userId: string; deviceId: string }): Promise<OlmMember> {
  await C.initAsync();
  const m = await C.OlmMachine.initialize(new C.UserId(user.userId), new C.DeviceId(user.deviceId));
  let since: string | null = null;
  const call = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${base}/_matrix/client/v3${path}`, { method, headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' }, body });
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, any>>;
  };
  const paths: Record<number, (r: any) => [string, string]> = {
    [C.RequestType.KeysUpload]: () => ['POST', '/keys/upload'],
    [C.RequestType.KeysQuery]: () => ['POST', '/keys/query'],
    [C.RequestType.KeysClaim]: () => ['POST', '/keys/claim'],
    [C.RequestType.ToDevice]: (r) => ['PUT', `/sendToDevice/${encodeURIComponent(r.event_type)}/${encodeURIComponent(r.txn_id)}`],
  };
  return {
    async flush() {
      for (const r of await m.outgoingRequests()) {
        const route = paths[r.type];
        if (!route) continue;
        const [method, path] = route(r);
        const answer = await call(method, path, r.body);
        if (r.id) await m.markRequestAsSent(r.id, r.type, JSON.stringify(answer));
      }
    },
    async sync() {
      const r = await call('GET', `/sync?timeout=0${since ? `&since=${since}` : ''}`);
      const lists = new C.DeviceLists(r.device_lists.changed.map((u: string) => new C.UserId(u)), []);
      await m.receiveSyncChanges(JSON.stringify(r.to_device.events), lists, new Map(Object.entries(r.device_one_time_keys_count)), new Set(r.device_unused_fallback_key_types));
      since = r.next_batch;
    },
    async decrypt(event, roomId) {
      const clear = await m.decryptRoomEvent(JSON.stringify(event), new C.RoomId(roomId), new C.DecryptionSettings(C.TrustRequirement.Untrusted));
      return JSON.parse(clear.event);
    },
  };
}
