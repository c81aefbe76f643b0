// Where the hook state that health shows lives: in the `state:` storage that every replica shares
// (fs for one replica, Redis for several), so a follower, a restart and the replica a delivery
// happened to reach all see the same thing. The leader writes the pass record after each reconcile
// pass; any replica writes a hook's record when it verifies (or fails to verify) a delivery.
import type { Storage } from 'unstorage';
import { keyPart } from '../adapters/state/storage.ts';
import type { HookRecord } from './hook-state.ts';

/** What the last reconcile pass found: declared repos, errors per target, listing failures. */
export interface PassRecord {
  at: number;
  /** [repo, targetKey] */
  declared: Array<[string, string]>;
  /** [targetKey, error] */
  errors: Array<[string, string]>;
  /** A pass that failed as a whole (e.g. the token was rejected). */
  failure: string | null;
  /** [kind ('repo' | 'org'), refusal]: the token may not manage that kind of hook. */
  rights: Array<[string, string]>;
  /** Owners whose repositories could not be listed. */
  unlisted: Array<{ owner: string; error: string }>;
}

const PASS_KEY = 'health:pass';
const hookKey = (target: string) => `health:hook:${keyPart(target)}`;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseHook(v: unknown): HookRecord | undefined {
  const o = v as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || !isNum(o.since)) return undefined;
  const r: HookRecord = { since: o.since };
  for (const k of ['verifiedAt', 'failedSince', 'failedAt', 'probedAt'] as const) if (isNum(o[k])) r[k] = o[k];
  return r;
}

function parsePass(v: unknown): PassRecord | null {
  const o = v as Partial<PassRecord> | null;
  if (!o || typeof o !== 'object' || !isNum(o.at) || !Array.isArray(o.declared)) return null;
  return {
    at: o.at,
    declared: o.declared.filter((d) => Array.isArray(d) && typeof d[0] === 'string' && typeof d[1] === 'string'),
    errors: Array.isArray(o.errors) ? o.errors : [],
    failure: typeof o.failure === 'string' ? o.failure : null,
    rights: Array.isArray(o.rights) ? o.rights : [],
    unlisted: Array.isArray(o.unlisted) ? o.unlisted : [],
  };
}

/** `alone`: no other process writes these records (one replica on SQLite), so what this one read
 * or wrote is still true: reads are answered from memory (a 15 s gauge refresh over 1,000 hooks
 * would otherwise read 1,000 files). */
export function healthStore(storage: Storage, opts: { alone?: boolean } = {}) {
  // The fs driver rewrites a file in place: a read racing a write can see it empty or cut short.
  // Records are never emptied on purpose (only removed), so an unreadable one means "as last read".
  let lastPass: PassRecord | null = null;
  const lastHooks = new Map<string, HookRecord>();
  const readHook = async (target: string): Promise<HookRecord | undefined> => {
    if (opts.alone && lastHooks.has(target)) return lastHooks.get(target);
    const raw = await storage.getItem(hookKey(target));
    const r = parseHook(raw) ?? (raw === null && !(await storage.hasItem(hookKey(target))) ? undefined : lastHooks.get(target));
    if (r) lastHooks.set(target, r);
    else lastHooks.delete(target);
    return r;
  };
  const setHook = async (target: string, r: HookRecord) => {
    await storage.setItem(hookKey(target), r);
    lastHooks.set(target, r);
  };
  const updating = new Map<string, Promise<void>>();
  return {
    async pass(): Promise<PassRecord | null> {
      if (opts.alone && lastPass) return lastPass;
      lastPass = parsePass(await storage.getItem(PASS_KEY)) ?? lastPass;
      return lastPass;
    },
    setPass: async (p: PassRecord) => {
      await storage.setItem(PASS_KEY, p);
      lastPass = p;
    },
    hook: readHook,
    async hooks(targets: string[]): Promise<Map<string, HookRecord>> {
      const out = new Map<string, HookRecord>();
      await Promise.all(
        targets.map(async (t) => {
          const r = await readHook(t);
          if (r) out.set(t, r);
        }),
      );
      return out;
    },
    setHook,
    /** Reads a hook's record, changes it and writes it back (`change` answers null: no write), one
     * update at a time per hook in this process: two at once would each write back what they read
     * (a probe's write could erase the verification of the very test delivery it asked for). */
    updateHook(target: string, change: (r: HookRecord | undefined) => HookRecord | null): Promise<void> {
      const next = (updating.get(target) ?? Promise.resolve()).then(async () => {
        const r = change(await readHook(target));
        if (r) await setHook(target, r);
      });
      const settled = next.catch(() => undefined);
      updating.set(target, settled);
      void settled.then(() => updating.get(target) === settled && updating.delete(target));
      return next;
    },
    removeHook: async (target: string) => {
      await storage.removeItem(hookKey(target));
      lastHooks.delete(target);
    },
  };
}

export type HealthStore = ReturnType<typeof healthStore>;
