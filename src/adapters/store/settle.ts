// Pure: when a run is settled, and how. A run's notices (trigger calls do not count) decide it: while
// any is held, pending or in a digest not yet sent, the run stays queued; once all are sent or
// failed it is `failed` if any failed, `digested` if any went out in a digest, else `announced`;
// notified_at is the latest send.
import type { NoticeStatus, RunStatus } from './types.ts';

export interface MemberState {
  status: NoticeStatus;
  sentAt: number | null;
  /** For a notice merged into a digest: the digest's status and send time. */
  digest: { status: NoticeStatus; sentAt: number | null } | null;
}

export type Settlement = { status: Extract<RunStatus, 'announced' | 'digested' | 'failed'>; notifiedAt: number | null } | null;

export function settleRun(members: MemberState[]): Settlement {
  const effective = members.map((m) => (m.status === 'merged' ? (m.digest ?? { status: 'pending' as const, sentAt: null }) : m));
  if (!effective.length || effective.some((s) => s.status !== 'sent' && s.status !== 'failed')) return null;
  const notifiedAt = Math.max(0, ...effective.map((s) => Number(s.sentAt ?? 0))) || null;
  if (effective.some((s) => s.status === 'failed')) return { status: 'failed', notifiedAt };
  return { status: members.some((m) => m.status === 'merged') ? 'digested' : 'announced', notifiedAt };
}
