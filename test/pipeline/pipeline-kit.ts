// A minimal pipeline around a real SQLite store: a config loaded through the real loader (no
// stand-ins needed: nothing is sent), an in-memory window store, and helpers that put held
// notices into the outbox the way processDelivery does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { buildRuntime, runtimeRef, type RuntimeRef } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/adapters/store/open.ts';
import type { Store } from '../../src/adapters/store/types.ts';
import type { WindowStore } from '../../src/pipeline/windows.ts';
import type { WindowState } from '../../src/pipeline/throttle.ts';
import type { NoticeItem } from '../../src/events/notice-item.ts';
import { noticeTxnId, runIdOf } from '../../src/pipeline/ids.ts';
import { toRoom } from '../../src/adapters/store/destination.ts';

export async function kitRuntime(extraYaml = ''): Promise<RuntimeRef> {
  const dir = mkdtempSync(join(tmpdir(), 'grm-kit-'));
  const file = join(dir, 'monitor.yaml');
  writeFileSync(file, `version: 1
gitea: { url: "http://127.0.0.1:9", token: { env: T } }
webhook: { public_url: "http://127.0.0.1:9/webhook/gitea", secret: { env: S } }
matrix: { homeserver: "http://127.0.0.1:9", access_token: { env: M }, rooms: { news: "#news:localhost" } }
repos: [{ match: dataforge/*, notify: [news] }]
rate_limit: { per_repo_per_room: 1, window: 1s }
runs: { database: "sqlite::memory:" }
${extraYaml}`);
  const r = await loadConfig(file, { env: { T: 'gitea-token-x', S: 'webhook-secret-x', M: 'matrix-token-x' }, cwd: dir, resolveSecrets: true });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return runtimeRef(buildRuntime(r.config));
}

export function memoryWindows(): WindowStore & { map: Map<string, WindowState> } {
  const map = new Map<string, WindowState>();
  return { map, get: async (repo, room) => map.get(`${repo}\n${room}`) ?? null, set: (repo, room, w) => void map.set(`${repo}\n${room}`, w), forget: () => map.clear() };
}

export function pushItem(repo: string, over: Partial<NoticeItem> = {}): NoticeItem {
  const name = repo.split('/')[1]!;
  return {
    kind: 'push', event: 'push', repo: { full_name: repo, name, owner: repo.split('/')[0]!, html_url: `http://g/${repo}` }, actor: 'alice',
    ref: 'refs/heads/main', ref_name: 'main', ref_type: 'branch', ref_url: `http://g/${repo}/src/branch/main`, before: 'a'.repeat(40), after: 'b'.repeat(40),
    total_commits: 1, commits: [{ id: 'b'.repeat(40), short: 'bbbbbbb', url: `http://g/${repo}/commit/b`, title: 'Fix', author: 'Alice' }],
    compare_url: null, release: null, messages: ['Fix'], ...over,
  };
}

/** Stores a delivery and records it as processed with one held notice for `room` (as the rate limit does). */
export async function holdNotice(store: Store, deliveryId: string, item: NoticeItem, opts: { room?: string; holdUntil?: number } = {}): Promise<void> {
  const room = opts.room ?? 'news';
  const ins = await store.insertDelivery({ deliveryId, runId: runIdOf(deliveryId), bodySha256: 'sha-' + deliveryId, event: 'push', repo: item.repo.full_name, body: '{}', receivedAt: 1000, calls: [] });
  if (!ins.inserted) throw new Error('not inserted');
  await store.commitProcessed({
    seq: ins.seq,
    run: { runId: runIdOf(deliveryId), nodeId: 'gitea_push_' + item.repo.name, repo: item.repo.full_name, trigger: 'webhook', status: 'queued', event: 'push', ref: item.ref, before: item.before, after: item.after, commits: item.total_commits, deliveryId, receivedAt: 1000, notifiedAt: null, summary: 's', error: null },
    notices: [{ runId: runIdOf(deliveryId), deliveryId, repo: item.repo.full_name, dest: toRoom(room), kind: 'notice', status: 'held', holdUntil: opts.holdUntil ?? 2000, txnId: noticeTxnId(deliveryId, room), item: JSON.stringify(item), content: null, createdAt: 1000 }],
    calls: [],
  });
}

export const memoryStore = (): Promise<Store> => openStore('sqlite::memory:');
