// Transaction-ID idempotency as Synapse does it (rest/client/transactions.py): one entry per
// (user, device, raw path); concurrent duplicates share one execution; only successes stay.

interface Snapshot {
  status: number;
  headers: [string, string][];
  body: string;
}

export function txnKey(userId: string, deviceId: string, rawPath: string): string {
  return JSON.stringify([userId, deviceId, rawPath]);
}

export function createTxnCache() {
  const entries = new Map<string, Promise<Snapshot>>();

  async function snapshot(res: Response): Promise<Snapshot> {
    return { status: res.status, headers: [...res.headers], body: await res.text() };
  }

  return {
    /**
     * Runs `execute` unless the key is known (or in flight), and answers with a fresh copy of the
     * stored response. A failed answer (a 429 included) is forgotten so a retry really runs.
     */
    async fetchOrExecute(key: string, execute: () => Promise<Response>): Promise<{ response: Response; executed: boolean }> {
      const known = entries.get(key);
      const pending = known ?? execute().then(snapshot);
      if (!known) entries.set(key, pending);
      let snap: Snapshot;
      try {
        snap = await pending;
      } catch (err) {
        entries.delete(key);
        throw err;
      }
      if (snap.status !== 200) entries.delete(key);
      return { response: new Response(snap.body, { status: snap.status, headers: snap.headers }), executed: !known };
    },

    get size(): number {
      return entries.size;
    },
  };
}

export type TxnCache = ReturnType<typeof createTxnCache>;
