// Hand-built configs for unit tests (the slice reconcile reads).
import type { RepoRule } from '../../../src/config/config.ts';
import type { ReconcileConfig } from '../../../src/reconcile/run.ts';
import { Secret } from '../../../src/secret.ts';

export const PUBLIC_URL = 'https://monitor.example.com/webhook/gitea';
export const FOREIGN_URL = 'https://ci.example.com/hook';

export function rule(match: string, extra: Partial<RepoRule> = {}): RepoRule {
  return { match, exclude: [], notify: ['news'], branches: ['*'], events: null, scope: 'repo', ...extra };
}

export function reconcileConfig(over: { repos?: RepoRule[]; secret?: string; prune?: boolean; events?: string[] } = {}): ReconcileConfig {
  return {
    webhook: {
      publicUrl: PUBLIC_URL,
      secret: new Secret(over.secret ?? 'hook-secret-1'),
      previousSecrets: [],
      events: (over.events ?? ['push', 'create', 'delete', 'release']) as ReconcileConfig['webhook']['events'],
      branchFilter: '',
      contentType: 'json',
    },
    repos: over.repos ?? [rule('df/*')],
    reconcile: { intervalMs: 300_000, prune: over.prune ?? true, verifyWithinMs: 300_000 },
  };
}
