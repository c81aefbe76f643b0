// The one decision behind a repository's hook state in health: ready, pending or error, from what
// reconcile saw (an error for its target, if any) and what the receivers recorded (when the hook
// was installed, when a delivery from it was last verified or last failed verification).
export type HookState = 'ready' | 'pending' | 'error';

/** What every replica records about one hook target (kept in the shared state storage). */
export interface HookRecord {
  /** When this hook started having to prove itself: first seen, created, or re-created (rotation). */
  since: number;
  /** The last signed delivery from it that verified. */
  verifiedAt?: number;
  /** The first and the last delivery naming one of its repositories that failed verification after the last verified one. */
  failedSince?: number;
  failedAt?: number;
  /** When reconcile last asked Gitea for a test delivery from it. */
  probedAt?: number;
}

export interface StateInput {
  record: HookRecord | undefined;
  /** Reconcile's error for the target (listing, writing, rights), or the pass's as a whole. */
  error: string | null;
  /** The owner when an org hook covers the repository (Gitea cannot test org hooks). */
  org: string | null;
  now: number;
  verifyWithinMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function hookState(i: StateInput): { hook: HookState; detail: string } {
  if (i.error) return { hook: 'error', detail: i.error };
  const via = i.org ? 'org hook' : 'hook';
  const r = i.record;
  if (r?.failedAt !== undefined && r.failedAt > (r.verifiedAt ?? 0)) {
    return {
      hook: 'error',
      detail: `deliveries naming this repository fail signature verification (since ${iso(r.failedSince ?? r.failedAt)}, the latest at ${iso(r.failedAt)}): the hook's secret is not webhook.secret or one of previous_secrets, or someone is posting forged deliveries`,
    };
  }
  if (r?.verifiedAt !== undefined && r.verifiedAt >= r.since) return { hook: 'ready', detail: `${via} matches; a signed delivery was verified at ${iso(r.verifiedAt)}` };
  const since = r?.since ?? i.now;
  if (i.now - since > i.verifyWithinMs) {
    const ask = i.org
      ? `Gitea cannot test an org hook: push to any repository of ${i.org} to prove it`
      : 'reconcile asked Gitea for a test delivery';
    return {
      hook: 'error',
      detail: `${via} installed at ${iso(since)} but no signed delivery verified within reconcile.verify_within (${formatDuration(i.verifyWithinMs)}); ${ask}. Check that Gitea can reach webhook.public_url (its [webhook] ALLOWED_HOST_LIST) and the hook's recent deliveries in Gitea`,
    };
  }
  return { hook: 'pending', detail: `${via} matches; waiting for a signed delivery (until ${iso(since + i.verifyWithinMs)})` };
}
