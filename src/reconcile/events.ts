// Gitea stores hook events as internal keys and answers with those keys in random order
// (FACTS.md §4.3): `issues` is the whole issues family, and the key `issues` alone means
// `issues_only`. Comparing desired against actual therefore compares expanded sets.

const ISSUES_FAMILY = ['issues', 'issue_assign', 'issue_label', 'issue_milestone', 'issue_comment'];
const REVIEW_FAMILY = ['pull_request_review_approved', 'pull_request_review_rejected', 'pull_request_review_comment'];
const PULL_FAMILY = [
  'pull_request', 'pull_request_assign', 'pull_request_label', 'pull_request_milestone', 'pull_request_comment',
  ...REVIEW_FAMILY, 'pull_request_review_request', 'pull_request_sync',
];

/** A name as written in a request → the internal keys Gitea enables for it. */
const REQUEST_NAMES: Record<string, string[]> = {
  issues: ISSUES_FAMILY,
  issues_only: ['issues'],
  pull_request: PULL_FAMILY,
  pull_request_only: ['pull_request'],
  pull_request_review: REVIEW_FAMILY,
};

/** The internal keys Gitea will hold after a create/PATCH with these event names. */
export function expandRequestedEvents(names: readonly string[]): Set<string> {
  // Gitea: empty or omitted events means push.
  const list = names.length === 0 ? ['push'] : names;
  const out = new Set<string>();
  for (const raw of list) {
    const name = raw.toLowerCase();
    for (const key of REQUEST_NAMES[name] ?? [name]) out.add(key);
  }
  return out;
}

/** The internal keys of a hook as Gitea returned it. Its `issues` is issues_only, not the group. */
export function keysOfReturnedEvents(events: readonly string[] | null | undefined): Set<string> {
  const out = new Set<string>();
  for (const raw of events ?? []) {
    const name = raw.toLowerCase();
    // `pull_request_review` is not an internal key; a server that echoes it means the review family.
    for (const key of name === 'pull_request_review' ? REVIEW_FAMILY : [name]) out.add(key);
  }
  return out;
}

export function sameEvents(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a) if (!b.has(k)) return false;
  return true;
}

/** Sorted, for stable display. */
export function listEvents(set: Set<string>): string[] {
  return [...set].sort();
}
