// Catch-up: Gitea never retries a delivery, so the daemon compares what Gitea shows (branches,
// tags, releases) with what it recorded and turns every difference into a synthetic delivery
// (trigger catch-up, "while the monitor was offline"): branches moved, created or deleted, tags
// pushed, releases published. It runs when this replica starts leading, after a repository's first
// delivery (to record its baseline), and after deliveries were refused (store failing, draining).
// Each delivery id names what it announces, and the records say what is known, so nothing is
// announced twice, even across restarts.
import { createHash } from 'node:crypto';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import type { Page } from '../adapters/gitea/types.ts';
import type { Store } from '../adapters/store/types.ts';
import { isDeclared, route } from '../pipeline/route.ts';
import { BASELINE_KEY, SEEN_PREFIX, releaseKey, tagKey } from '../pipeline/ref-keys.ts';
import { CATCH_UP_PREFIX, runIdOf } from '../pipeline/ids.ts';
import { diffRefs, type Change } from './catch-up-diff.ts';
import { branchDeletePayload, branchPushPayload, releasePayload, tagPushPayload } from './catch-up-payloads.ts';
import type { RuntimeRef } from './runtime.ts';
import type { Logger } from '../log.ts';

export interface CatchUpResult {
  repos: number;
  moved: number;
  stored: number;
  errors: string[];
}

/** The reason of the pass a repository's first delivery in a process starts: baseline only. */
export const FIRST_DELIVERY = 'first delivery';

export interface CatchUpDeps {
  runtime: RuntimeRef;
  store: Store;
  client: GiteaClient;
  logger: Logger;
  now?: () => number;
  onStored(): void;
  /** Only these repositories (default: every declared repository with records). */
  repos?: string[];
  /** Record a baseline where there is none, announce nothing: for a pass that runs while live
   * deliveries may still be in flight (a repository's first delivery), which would otherwise
   * announce their pushes as "while the monitor was offline" before they arrive. */
  baselineOnly?: boolean;
}

async function all<T>(fetchPage: (page: number, limit: number) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= 200; page++) {
    const { items, total } = await fetchPage(page, 50);
    out.push(...items);
    if (items.length < 50 || (total !== null && out.length >= total)) break;
  }
  return out;
}

const short = (s: string) => s.slice(0, 12);

/** What the change would be routed as, and how to record it when nothing routes it (no delivery then). */
function routing(c: Change): { event: 'push' | 'delete' | 'release'; refType: 'branch' | 'tag'; refName: string; record: [string, string | null] } {
  switch (c.kind) {
    case 'moved':
    case 'created':
      return { event: 'push', refType: 'branch', refName: c.branch.name, record: [c.branch.name, c.branch.commit.id] };
    case 'deleted':
      return { event: 'delete', refType: 'branch', refName: c.branch, record: [c.branch, null] };
    case 'tagged':
      return { event: 'push', refType: 'tag', refName: c.tag.name, record: [tagKey(c.tag.name), SEEN_PREFIX + c.tag.commit.sha] };
    case 'released':
      return { event: 'release', refType: 'tag', refName: c.release.tag_name, record: [releaseKey(c.release.tag_name), SEEN_PREFIX + c.release.id] };
  }
}

/** The synthetic delivery for one change: its id (naming the change), event and body. */
async function deliveryFor(deps: CatchUpDeps, repo: string, c: Change): Promise<{ id: string; event: string; body: string }> {
  const url = deps.runtime.get().config.gitea.url;
  const at = `${CATCH_UP_PREFIX}${repo}:`;
  switch (c.kind) {
    case 'moved': {
      // The commits of the range, so pusher, messages and markers exist; a rewritten history
      // (force-push) may have lost `before`: then the head alone.
      const compared = await deps.client.compare(repo, c.before, c.branch.commit.id).catch((e) => (deps.logger.warn('catch-up: cannot compare', { repo, error: e }), null));
      return { id: `${at}${c.branch.name}:${short(c.before)}..${short(c.branch.commit.id)}`, event: 'push', body: branchPushPayload(url, repo, c.branch, c.before, compared) };
    }
    case 'created':
      return { id: `${at}${c.branch.name}:${'0'.repeat(12)}..${short(c.branch.commit.id)}`, event: 'push', body: branchPushPayload(url, repo, c.branch, null, null) };
    case 'deleted':
      return { id: `${at}${c.branch}:${short(c.before)}..${'0'.repeat(12)}`, event: 'delete', body: branchDeletePayload(url, repo, c.branch) };
    case 'tagged':
      return { id: `${at}tag:${c.tag.name}:${short(c.tag.commit.sha)}`, event: 'push', body: tagPushPayload(url, repo, c.tag) };
    case 'released':
      return { id: `${at}release:${c.release.id}`, event: 'release', body: releasePayload(url, repo, c.release) };
  }
}

export async function catchUp(deps: CatchUpDeps): Promise<CatchUpResult> {
  const now = deps.now ?? Date.now;
  const rt = deps.runtime.get();
  const result: CatchUpResult = { repos: 0, moved: 0, stored: 0, errors: [] };
  for (const repo of deps.repos ?? (await deps.store.reposWithHeads())) {
    if (!isDeclared(rt.routes, repo)) continue;
    result.repos++;
    try {
      const known = await deps.store.heads(repo);
      if (deps.baselineOnly && known[BASELINE_KEY] !== undefined) continue;
      const [branches, tags, releases] = await Promise.all([
        all((p, l) => deps.client.listBranches(repo, p, l)),
        all((p, l) => deps.client.listTags(repo, p, l)),
        all((p, l) => deps.client.listReleases(repo, p, l)),
      ]);
      const { changes, record } = diffRefs(known, { branches, tags, releases });
      if (record.length) await deps.store.setHeads(repo, record, now());
      for (const c of deps.baselineOnly ? [] : changes) {
        // A change nothing routes (a branch outside `branches`, an event not announced) is only
        // recorded, as the receiver ignores its live delivery.
        const { record: quietly, ...on } = routing(c);
        if ('ignored' in route(rt.routes, { repo, ...on })) {
          await deps.store.setHead(repo, quietly[0], quietly[1], now());
          continue;
        }
        result.moved++;
        const d = await deliveryFor(deps, repo, c);
        const r = await deps.store.insertDelivery({
          deliveryId: d.id, runId: runIdOf(d.id), bodySha256: createHash('sha256').update(d.body).digest('hex'),
          event: d.event, repo, body: d.body, receivedAt: now(),
          calls: [{ step: 'receive', startedAt: now(), durationMs: 0, outcome: 'ok', detail: `catch-up: ${c.kind} while no delivery was received` }],
        });
        if (r.inserted) result.stored++;
      }
    } catch (e) {
      result.errors.push(`${repo}: ${(e as Error).message}`);
    }
  }
  if (result.stored) deps.onStored();
  deps.logger.info('catch-up done', { ...result });
  return result;
}
