// Per declared repository, the state of its hook for /webhook/health (the decision: hook-state.ts),
// from records every replica shares (health-store.ts): the leader records each reconcile pass;
// any replica records a delivery that verified, or one naming a declared repository that did not.
// Rules whose owner could not be listed show as one entry, `repo: <match>`, with the error.
import type { Storage } from 'unstorage';
import { targetKey, targetLabel, type HookTarget } from '../adapters/gitea/types.ts';
import { plainOwner as ownerOf } from '../config/globs.ts';
import { healthStore, type PassRecord } from './health-store.ts';
import { hookState, type HookState } from './hook-state.ts';
import type { RightsProblem } from './rights.ts';
import type { PassResult } from './run.ts';

export type { HookState } from './hook-state.ts';

export interface RepoHookStatus {
  repo: string;
  hook: HookState;
  detail: string;
}

export interface HookStatus {
  /** Feed a finished pass; resolves with the repository hooks that should be asked for a test delivery now. */
  recordPass(result: PassResult): Promise<Array<{ target: string; repo: string; id: number }>>;
  /** A pass that failed as a whole (e.g. the token was rejected): every repo shows the error. */
  recordFailure(error: string): Promise<void>;
  /** The token's rights to manage hooks, per kind of target (checked at start and after a token change). */
  recordRights(problems: RightsProblem[]): Promise<void>;
  /** A test delivery was asked for. */
  markProbed(target: string): Promise<void>;
  /** The receiver verified a signed delivery for this repository. */
  markVerified(repo: string): Promise<void>;
  /** A delivery whose unverified body names this repository failed verification (counted, never acted on). */
  markUnverified(repo: string): Promise<void>;
  list(): Promise<RepoHookStatus[]>;
}

export interface HookStatusOptions {
  storage: Storage;
  /** reconcile.verify_within, read each time (a reload may change it). */
  verifyWithinMs: () => number;
  /** The repos rules' match globs, for what to show before the first pass. */
  rules: () => Array<{ match: string }>;
  now?: () => number;
  /** Other replicas write the same records (PostgreSQL runs.database): remember less. */
  shared?: boolean;
}

/** A verified delivery is re-recorded at most this often (the state is already ready). */
const REFRESH_MS = 60_000;
/** How long a read pass, and a hook known verified, are remembered (see createHookStatus). Short: a
 * failed verification another replica records must not stay hidden behind it for long. (Alone, the
 * health store answers from memory anyway.) */
const PASS_MEMO_MS = 2_000;
const HOOK_MEMO_MS = 2_000;
/** Failed verifications of one hook are recorded at most this often (a flood must not mean a write per request). */
const FAIL_WRITE_MS = 5_000;

const emptyPass = (now: number): PassRecord => ({ at: now, declared: [], errors: [], failure: null, rights: [], unlisted: [] });

export function createHookStatus(opts: HookStatusOptions): HookStatus {
  const store = healthStore(opts.storage, { alone: opts.shared === false });
  const now = opts.now ?? Date.now;
  const early = new Set<string>(); // repos verified before any pass told us their target (this replica)
  // A verified delivery is the hot path (one per request): it reads the last pass (the declared
  // targets) and the hook's record. The pass is remembered for PASS_MEMO_MS, a hook known verified
  // for HOOK_MEMO_MS; a pass recorded by this process clears both at once. (A hook that another
  // replica's pass created meanwhile is verified by a delivery after that, or by the next probe.)
  let passMemo: { at: number; value: Promise<PassRecord | null> } | null = null;
  // Passes being recorded by this process, and how many were: a verified delivery that overlaps one
  // is verified again at its end (it may have read the old pass, or its record may be rewritten).
  let passing = 0;
  let passGen = 0;
  const freshUntil = new Map<string, number>(); // target -> time until which it is known verified
  const readPass = (): Promise<PassRecord | null> => {
    const t = now();
    if (!passMemo || t - passMemo.at >= PASS_MEMO_MS || t < passMemo.at) {
      const memo = (passMemo = { at: t, value: store.pass() });
      memo.value.catch(() => passMemo === memo && (passMemo = null));
    }
    return passMemo.value;
  };
  const setPass = async (p: PassRecord) => {
    passMemo = null;
    freshUntil.clear();
    await store.setPass(p);
    passMemo = null;
  };

  // Per pass, its declared repos and targets by lower-cased name: a verified delivery looks its
  // repository up here (one per request; a scan would be 1,000 comparisons with 1,000 repos).
  const indexes = new WeakMap<PassRecord, { repos: Map<string, string>; targets: Map<string, string> }>();
  const indexOf = (pass: PassRecord) => {
    let ix = indexes.get(pass);
    if (!ix) {
      ix = { repos: new Map(), targets: new Map() };
      for (const [r, t] of pass.declared) {
        if (!ix.repos.has(r.toLowerCase())) ix.repos.set(r.toLowerCase(), t);
        if (!ix.targets.has(t.toLowerCase())) ix.targets.set(t.toLowerCase(), t);
      }
      indexes.set(pass, ix);
    }
    return ix;
  };
  const targetOf = (pass: PassRecord | null, repo: string): string | null => {
    if (!pass) return null;
    const ix = indexOf(pass);
    const hit = ix.repos.get(repo.toLowerCase());
    if (hit !== undefined) return hit;
    // An org hook delivers for every repository of its owner, declared or not.
    return ix.targets.get(targetKey({ kind: 'org', org: repo.split('/')[0] ?? '' }).toLowerCase()) ?? null;
  };

  /** `recheck`: read the record whatever the memo says (after a pass that may have rewritten it). */
  async function verify(target: string, recheck = false): Promise<void> {
    const until = freshUntil.get(target);
    const t = now();
    if (!recheck && until !== undefined && t < until && t >= until - HOOK_MEMO_MS) return;
    await store.updateHook(target, (r) => {
      const fresh = r?.verifiedAt !== undefined && r.verifiedAt >= r.since && t - r.verifiedAt < REFRESH_MS && !(r.failedAt! > r.verifiedAt);
      if (fresh) return null;
      const { failedAt: _a, failedSince: _b, ...rest } = r ?? { since: t };
      return { ...rest, verifiedAt: t };
    });
    freshUntil.set(target, t + HOOK_MEMO_MS);
  }

  const takeEarly = () => {
    const repos = [...early];
    early.clear();
    return repos;
  };

  async function markVerified(repo: string, recheck = false): Promise<void> {
    // A pass being recorded may rewrite the hook's record: it verifies this repository at its end.
    if (passing) return void early.add(repo);
    const gen = passGen;
    const target = targetOf(await readPass(), repo);
    if (target) await verify(target, recheck);
    else early.add(repo);
    if (passing) early.add(repo);
    else if (gen !== passGen) await markVerified(repo, true); // a pass came and went meanwhile
  }

  /** Records a finished pass (see HookStatus.recordPass). */
  async function recordPassNow(result: PassResult): Promise<Array<{ target: string; repo: string; id: number }>> {
    const t = now();
    const prev = (await store.pass()) ?? emptyPass(t);
    const failedOwners = new Map(result.desired.unlisted.map((u) => [u.owner.toLowerCase(), u.error]));
    const declared = new Map(result.desired.declared.map((d) => [d.repo, d.target]));
    const errors = new Map<string, string>();
    // Repos of an owner that could not be listed stay, from the last pass, with the listing error.
    for (const [repo, target] of prev.declared) {
      const error = failedOwners.get((repo.split('/')[0] ?? '').toLowerCase());
      if (error && !declared.has(repo)) (declared.set(repo, target), errors.set(target, `cannot list the repositories of ${repo.split('/')[0]}: ${error}`));
    }
    for (const l of result.listed) {
      if (l.hooks === null) errors.set(targetKey(l.target), `cannot list the hooks of ${targetLabel(l.target)}: ${l.error ?? 'unknown error'}`);
    }
    const created = new Map<string, number>();
    for (const o of result.apply.outcomes) {
      const key = targetKey(o.action.target);
      if (o.status === 'failed' && o.action.kind !== 'delete') errors.set(key, o.error ?? 'failed');
      if (o.createdId !== undefined) created.set(key, o.createdId);
    }
    const pass: PassRecord = { at: t, declared: [...declared], errors: [...errors], failure: null, rights: prev.rights, unlisted: result.desired.unlisted };
    await setPass(pass);

    const wanted = new Set(declared.values());
    const records = await store.hooks([...wanted]);
    for (const target of new Set(prev.declared.map(([, k]) => k))) if (!wanted.has(target)) await store.removeHook(target);
    const probe: Array<{ target: string; repo: string; id: number }> = [];
    const verifyWithin = opts.verifyWithinMs();
    const mayTest = !pass.rights.some(([kind]) => kind === 'repo'); // the test endpoint needs write:repository
    for (const target of wanted) {
      let r = records.get(target);
      // A new hook has delivered nothing yet: it must prove itself again.
      if (!r || created.has(target)) {
        const fresh = (r = { since: t });
        await store.updateHook(target, () => fresh);
      }
      const verified = r.verifiedAt !== undefined && r.verifiedAt >= r.since;
      const due = r.probedAt === undefined || r.probedAt < r.since || t - r.probedAt > verifyWithin;
      if (verified || !due || !mayTest || errors.has(target) || !target.startsWith('repo:')) continue;
      const id = created.get(target) ?? ourHookId(result, target);
      if (id !== null) probe.push({ target, repo: target.slice('repo:'.length), id });
    }
    // Verified before this pass named their target, or while it ran (their record may just have
    // been rewritten): verified now. Those verified while this runs are taken when the pass ends.
    for (const repo of takeEarly()) {
      const target = targetOf(pass, repo);
      if (target) await verify(target, true);
    }
    freshUntil.clear(); // hooks created by this pass must prove themselves again
    return probe;
  }

  return {
    async recordPass(result) {
      passing++;
      try {
        return await recordPassNow(result);
      } finally {
        passing--;
        passGen++;
        // Verified between the pass's last look at them and now: verified against it here.
        if (!passing && early.size) for (const repo of takeEarly()) void markVerified(repo, true).catch(() => undefined);
      }
    },
    async recordFailure(error) {
      const prev = (await store.pass()) ?? emptyPass(now());
      await setPass({ ...prev, failure: error });
    },
    async recordRights(problems) {
      const prev = (await store.pass()) ?? emptyPass(now());
      await setPass({ ...prev, rights: problems.map((p) => [p.kind, p.error]) });
    },
    markProbed: (target) => store.updateHook(target, (r) => (r ? { ...r, probedAt: now() } : null)),
    markVerified: (repo) => markVerified(repo),
    async markUnverified(repo) {
      const target = targetOf(await readPass(), repo);
      if (!target) return; // not a declared repository: nothing of ours to degrade
      freshUntil.delete(target);
      const t = now();
      await store.updateHook(target, (found) => {
        const r = found ?? { since: t };
        const failing = r.failedAt !== undefined && r.failedAt > (r.verifiedAt ?? 0);
        if (failing && t - r.failedAt! < FAIL_WRITE_MS) return null;
        return { ...r, failedSince: failing ? (r.failedSince ?? r.failedAt) : t, failedAt: t };
      });
    },
    async list() {
      const pass = await store.pass();
      const t = now();
      const verifyWithinMs = opts.verifyWithinMs();
      if (!pass) return opts.rules().map((r) => ({ repo: r.match, hook: 'pending' as const, detail: 'waiting for the first reconcile pass' }));
      const errors = new Map(pass.errors);
      const rights = new Map(pass.rights);
      const records = await store.hooks([...new Set(pass.declared.map(([, k]) => k))]);
      const repos = [...pass.declared].sort((a, b) => a[0].localeCompare(b[0])).map(([repo, target]): RepoHookStatus => {
        const org = target.startsWith('org:') ? target.slice(4) : null;
        const error = pass.failure ?? errors.get(target) ?? rights.get(org ? 'org' : 'repo') ?? null;
        return { repo, ...hookState({ record: records.get(target), error, org, now: t, verifyWithinMs }) };
      });
      // Rules whose owner could not be listed (or, when the whole pass failed, that declare nothing yet).
      const shown = new Set(pass.declared.map(([r]) => (r.split('/')[0] ?? '').toLowerCase()));
      const failed = new Map(pass.unlisted.map((u) => [u.owner.toLowerCase(), u.error]));
      for (const rule of opts.rules()) {
        const owner = (ownerOf(rule.match) ?? '').toLowerCase();
        const error = failed.get(owner) ? `cannot list the repositories of ${ownerOf(rule.match)}: ${failed.get(owner)}` : !shown.has(owner) ? pass.failure : null;
        if (error && !shown.has(owner)) repos.push({ repo: rule.match, hook: 'error', detail: error });
      }
      return repos;
    },
  };
}

/** The id of our hook on a repository target, as the pass listed it (the newest, if several). */
function ourHookId(result: PassResult, target: string): number | null {
  const listed = result.listed.find((l) => targetKey(l.target) === target);
  const ours = (listed?.hooks ?? []).filter((h) => h.config?.url === result.desired.publicUrl).map((h) => h.id);
  return ours.length ? Math.max(...ours) : null;
}

export type { HookTarget };
