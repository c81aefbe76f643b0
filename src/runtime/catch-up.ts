// Catch-up after downtime: Gitea never retries a delivery, so on start the daemon compares each
// known branch head with Gitea's API and turns every branch that moved meanwhile into a synthetic
// push delivery ("while the monitor was offline", trigger catch-up). Its delivery id names the
// range, so the same range is never announced twice, even across restarts.
import { createHash } from 'node:crypto';
import type { GiteaClient } from '../adapters/gitea/client.ts';
import type { GiteaBranch } from '../adapters/gitea/types.ts';
import type { Store } from '../adapters/store/types.ts';
import { isDeclared } from '../pipeline/route.ts';
import { CATCH_UP_PREFIX, runIdOf } from '../pipeline/ids.ts';
import type { RuntimeRef } from './runtime.ts';
import type { Logger } from '../log.ts';

export interface CatchUpResult {
  repos: number;
  moved: number;
  stored: number;
  errors: string[];
}

async function allBranches(client: GiteaClient, repo: string): Promise<GiteaBranch[]> {
  const out: GiteaBranch[] = [];
  for (let page = 1; page <= 200; page++) {
    const { items, total } = await client.listBranches(repo, page, 50);
    out.push(...items);
    if (items.length < 50 || (total !== null && out.length >= total)) break;
  }
  return out;
}

/** The push payload Gitea would have sent for the move, with no commit list (Gitea sent none). */
export function catchUpPayload(giteaUrl: string, repo: string, branch: string, before: string, after: string): string {
  const [owner, name] = repo.split('/') as [string, string];
  const html = `${giteaUrl.replace(/\/+$/, '')}/${repo}`;
  const nobody = { id: 0, login: '', full_name: '' };
  return JSON.stringify({
    ref: `refs/heads/${branch}`, before, after, compare_url: `${html}/compare/${before}...${after}`, commits: [], total_commits: 0, head_commit: null,
    repository: { id: 0, name, full_name: repo, html_url: html, owner: { id: 0, login: owner } }, pusher: nobody, sender: nobody,
  });
}

export async function catchUp(deps: { runtime: RuntimeRef; store: Store; client: GiteaClient; logger: Logger; now?: () => number; onStored(): void }): Promise<CatchUpResult> {
  const now = deps.now ?? Date.now;
  const rt = deps.runtime.get();
  const result: CatchUpResult = { repos: 0, moved: 0, stored: 0, errors: [] };
  for (const repo of await deps.store.reposWithHeads()) {
    if (!isDeclared(rt.routes, repo)) continue;
    result.repos++;
    let branches: GiteaBranch[];
    try {
      branches = await allBranches(deps.client, repo);
    } catch (e) {
      result.errors.push(`${repo}: ${(e as Error).message}`);
      continue;
    }
    const known = await deps.store.heads(repo);
    for (const b of branches) {
      const before = known[b.name];
      if (before === undefined) {
        await deps.store.setHead(repo, b.name, b.commit.id, now()); // first sight: a baseline, nothing to announce
        continue;
      }
      if (before === b.commit.id) continue;
      result.moved++;
      const body = catchUpPayload(rt.config.gitea.url, repo, b.name, before, b.commit.id);
      const deliveryId = `${CATCH_UP_PREFIX}${repo}:${b.name}:${before.slice(0, 12)}..${b.commit.id.slice(0, 12)}`;
      const r = await deps.store.insertDelivery({
        deliveryId,
        runId: runIdOf(deliveryId),
        bodySha256: createHash('sha256').update(body).digest('hex'),
        event: 'push', repo, body, receivedAt: now(),
        calls: [{ step: 'receive', startedAt: now(), durationMs: 0, outcome: 'ok', detail: 'catch-up: branch head moved while the monitor was offline' }],
      });
      if (r.inserted) result.stored++;
    }
  }
  if (result.stored) deps.onStored();
  deps.logger.info('catch-up done', { ...result });
  return result;
}
