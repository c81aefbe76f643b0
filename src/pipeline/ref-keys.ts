// Keys of what catch-up remembers per repository (monitor_branch_heads): a branch under its name,
// a tag as `tag:<name>`, a published release as `release:<tag>`, and `:baseline` once a full
// listing was recorded. Git ref names cannot contain ":", so the kinds never meet. A value starting
// with `seen:` was recorded from a listing (baseline), not from an announcement.
export const tagKey = (tag: string) => `tag:${tag}`;
export const releaseKey = (tag: string) => `release:${tag}`;
export const BASELINE_KEY = ':baseline';
export const SEEN_PREFIX = 'seen:';
export const isBranchKey = (key: string) => !key.includes(':');
/** The sha (or release id) a recorded value names, whether announced or only seen in a listing. */
export const bareRef = (value: string | undefined): string | undefined => (value?.startsWith(SEEN_PREFIX) ? value.slice(SEEN_PREFIX.length) : value);
