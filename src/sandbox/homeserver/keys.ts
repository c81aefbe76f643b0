// End-to-end encryption bookkeeping of the stand-in, as the client-server spec's "End-to-end
// encryption" module describes it: device keys per (user, device), one-time and fallback keys
// (a claim consumes a one-time key, else returns the fallback key), to-device inboxes, and the
// stream positions at which a user's device list changed (what /sync reports in device_lists).
// Knows nothing about HTTP; positions come from the homeserver's one event stream.

export type Json = Record<string, unknown>;

export interface ToDeviceEvent {
  type: string;
  sender: string;
  content: Json;
}

interface Device {
  keys: Json | null;
  oneTime: Map<string, Json>; // "algorithm:key_id" -> key object
  fallback: Map<string, { id: string; key: Json; used: boolean }>; // algorithm -> key
  inbox: Array<{ pos: number; event: ToDeviceEvent }>;
}

export function createKeyStore(nextPos: () => number) {
  const devices = new Map<string, Map<string, Device>>(); // user -> device -> state
  const changedAt = new Map<string, number>(); // user -> position of the last device-list change

  function device(userId: string, deviceId: string): Device {
    let byUser = devices.get(userId);
    if (!byUser) devices.set(userId, (byUser = new Map()));
    let d = byUser.get(deviceId);
    if (!d) byUser.set(deviceId, (d = { keys: null, oneTime: new Map(), fallback: new Map(), inbox: [] }));
    return d;
  }

  function counts(d: Device): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of d.oneTime.keys()) {
      const algorithm = id.split(':')[0]!;
      out[algorithm] = (out[algorithm] ?? 0) + 1;
    }
    return out;
  }

  return {
    /** POST /keys/upload; returns the one-time key counts. */
    upload(userId: string, deviceId: string, body: { device_keys?: Json; one_time_keys?: Json; fallback_keys?: Json }): Record<string, number> {
      const d = device(userId, deviceId);
      if (body.device_keys && JSON.stringify(body.device_keys) !== JSON.stringify(d.keys)) {
        d.keys = structuredClone(body.device_keys);
        changedAt.set(userId, nextPos());
      }
      for (const [id, key] of Object.entries(body.one_time_keys ?? {})) if (!d.oneTime.has(id)) d.oneTime.set(id, key as Json);
      for (const [id, key] of Object.entries(body.fallback_keys ?? {})) d.fallback.set(id.split(':')[0]!, { id, key: key as Json, used: false });
      return counts(d);
    },

    /** POST /keys/query: the device keys of the asked users (all their devices for an empty list). */
    query(asked: Record<string, string[]>): Record<string, Record<string, Json>> {
      const out: Record<string, Record<string, Json>> = {};
      for (const [userId, wanted] of Object.entries(asked)) {
        out[userId] = {};
        for (const [deviceId, d] of devices.get(userId) ?? []) {
          if (d.keys && (wanted.length === 0 || wanted.includes(deviceId))) out[userId][deviceId] = structuredClone(d.keys);
        }
      }
      return out;
    },

    /** POST /keys/claim: one key per asked device; a one-time key is used up, a fallback key is not. */
    claim(asked: Record<string, Record<string, string>>): Record<string, Record<string, Json>> {
      const out: Record<string, Record<string, Json>> = {};
      for (const [userId, byDevice] of Object.entries(asked)) {
        for (const [deviceId, algorithm] of Object.entries(byDevice)) {
          const d = devices.get(userId)?.get(deviceId);
          if (!d) continue;
          const id = [...d.oneTime.keys()].find((k) => k.startsWith(`${algorithm}:`));
          let claimed: [string, Json] | null = null;
          if (id) (claimed = [id, d.oneTime.get(id)!]), d.oneTime.delete(id);
          else {
            const fb = d.fallback.get(algorithm);
            if (fb) (fb.used = true), (claimed = [fb.id, fb.key]);
          }
          if (claimed) ((out[userId] ??= {})[deviceId] = { [claimed[0]]: structuredClone(claimed[1]) });
        }
      }
      return out;
    },

    /** PUT /sendToDevice: `*` addresses every device of the user. */
    sendToDevice(sender: string, type: string, messages: Record<string, Record<string, Json>>): void {
      for (const [userId, byDevice] of Object.entries(messages)) {
        for (const [deviceId, content] of Object.entries(byDevice)) {
          const targets = deviceId === '*' ? [...(devices.get(userId)?.values() ?? [])] : [device(userId, deviceId)];
          for (const d of targets) d.inbox.push({ pos: nextPos(), event: { type, sender, content: structuredClone(content) } });
        }
      }
    },

    /**
     * The device's to-device events after `since`; those at or before `since` were delivered by an
     * earlier sync (the client acknowledged them by syncing on) and are dropped, as the spec says.
     */
    toDevice(userId: string, deviceId: string, since: number | undefined): ToDeviceEvent[] {
      const d = device(userId, deviceId);
      if (since !== undefined) d.inbox = d.inbox.filter((m) => m.pos > since);
      return d.inbox.map((m) => structuredClone(m.event));
    },

    oneTimeKeyCounts: (userId: string, deviceId: string) => counts(device(userId, deviceId)),

    unusedFallbackKeyTypes: (userId: string, deviceId: string) => [...device(userId, deviceId).fallback.entries()].filter(([, f]) => !f.used).map(([a]) => a),

    /** Users (among `users`) whose device list changed after `since`. */
    changedSince(users: Iterable<string>, since: number): string[] {
      return [...users].filter((u) => (changedAt.get(u) ?? 0) > since);
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
