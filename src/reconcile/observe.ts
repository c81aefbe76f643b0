// Reads what is on Gitea now for every hook target that matters: each desired target and each
// target the state remembers (that is how a repository that left monitor.yaml gets its hook
// removed). Level-triggered: every pass reads afresh; nothing is cached between passes.
import type { Storage } from 'unstorage';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import { GiteaError } from '../adapters/gitea/errors.ts';
import { listAll } from '../adapters/gitea/paginate.ts';
import { parseTargetKey, targetKey, targetLabel, type HookTarget } from '../adapters/gitea/types.ts';
import type { ListedTarget } from './plan.ts';
import { readRemembered, type Remembered } from './state.ts';

export interface Observed {
  listed: ListedTarget[];
  remembered: Remembered;
}

export async function listTargetHooks(client: Pick<GiteaClient, 'listHooks'>, target: HookTarget): Promise<ListedTarget> {
  try {
    return { target, hooks: await listAll((p, l) => client.listHooks(target, p, l), `hooks of ${targetLabel(target)}`) };
  } catch (err) {
    const gone = err instanceof GiteaError && err.kind === 'not-found';
    return { target, hooks: null, error: (err as Error).message, gone };
  }
}

export async function observe(desiredTargets: HookTarget[], client: Pick<GiteaClient, 'listHooks'>, storage: Storage): Promise<Observed> {
  const remembered = await readRemembered(storage);
  const targets = new Map<string, HookTarget>();
  for (const t of desiredTargets) targets.set(targetKey(t), t);
  for (const key of remembered.keys()) {
    const t = parseTargetKey(key);
    if (t && !targets.has(key)) targets.set(key, t);
  }
  // All at once: the client's semaphore bounds what is really in flight.
  const listed = await Promise.all([...targets.values()].map((t) => listTargetHooks(client, t)));
  return { listed, remembered };
}

/** The fingerprints alone, the shape plan() takes. */
export function fingerprintsOf(remembered: Remembered): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const [key, records] of remembered) out.set(key, new Map([...records].map(([id, r]) => [id, r.fingerprint])));
  return out;
}
