// What reconcile remembers between passes, in the unstorage store of `state:`: per hook target,
// the ids of the hooks we created and the fingerprint of the secret each was created with.
// One key per target (reconcile:hooks:repo:<owner>:<name>, reconcile:hooks:org:<owner>), so
// passes touch only what changed and replicas sharing Redis see the same records.
import type { Storage } from 'unstorage';
import { parseTargetKey, targetKey, type HookTarget } from '../adapters/gitea/types.ts';

export interface HookRecord {
  fingerprint: string;
  recordedAt: string;
}

/** targetKey → hook id → record. */
export type Remembered = Map<string, Map<number, HookRecord>>;

const PREFIX = 'reconcile:hooks';

function keyOf(target: HookTarget): string {
  // unstorage turns "/" into ":" itself; writing it out keeps the key readable in both forms.
  return `${PREFIX}:${targetKey(target).replace('/', ':')}`;
}

function targetOfKey(key: string): HookTarget | null {
  if (!key.startsWith(PREFIX + ':')) return null;
  const rest = key.slice(PREFIX.length + 1);
  const m = /^repo:([^:]+):([^:]+)$/.exec(rest);
  return m ? { kind: 'repo', repo: `${m[1]}/${m[2]}` } : parseTargetKey(rest);
}

function parseRecords(value: unknown): Map<number, HookRecord> {
  const out = new Map<number, HookRecord>();
  const hooks = (value as { hooks?: unknown } | null)?.hooks;
  if (!hooks || typeof hooks !== 'object') return out;
  for (const [id, rec] of Object.entries(hooks as Record<string, unknown>)) {
    const fp = (rec as { fingerprint?: unknown } | null)?.fingerprint;
    if (/^\d+$/.test(id) && typeof fp === 'string') {
      out.set(Number(id), { fingerprint: fp, recordedAt: String((rec as { recordedAt?: unknown }).recordedAt ?? '') });
    }
  }
  return out;
}

export async function readRemembered(storage: Storage): Promise<Remembered> {
  const out: Remembered = new Map();
  const keys = await storage.getKeys(PREFIX);
  await Promise.all(
    keys.map(async (key) => {
      const target = targetOfKey(key);
      if (!target) return;
      const records = parseRecords(await storage.getItem(key));
      if (records.size > 0) out.set(targetKey(target), records);
    }),
  );
  return out;
}

export async function readTargetRecords(storage: Storage, target: HookTarget): Promise<Map<number, HookRecord>> {
  return parseRecords(await storage.getItem(keyOf(target)));
}

/** Replaces the target's records; an empty map removes the key. */
export async function writeTargetRecords(storage: Storage, target: HookTarget, records: Map<number, HookRecord>): Promise<void> {
  if (records.size === 0) {
    await storage.removeItem(keyOf(target));
    return;
  }
  const hooks: Record<string, HookRecord> = {};
  for (const [id, rec] of [...records].sort((a, b) => a[0] - b[0])) hooks[String(id)] = rec;
  await storage.setItem(keyOf(target), { target: targetKey(target), hooks });
}
