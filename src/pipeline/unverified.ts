// Which repository a delivery that FAILED verification claims to come from, for health only: the
// body is the sender's word, so it is read to count (health marks the repo `error` when its latest
// deliveries fail), never to act on. Bounded: bodies over 1 MiB are not parsed; only a plausible
// owner/name string is returned, and the caller ignores any repository it does not declare.
const MAX_PARSED = 1024 * 1024;
const NAME = /^[\w.-]{1,100}\/[\w.-]{1,100}$/;

export function repositoryClaimedBy(signed: Uint8Array): string | null {
  if (signed.length === 0 || signed.length > MAX_PARSED) return null;
  try {
    const body = JSON.parse(Buffer.from(signed.buffer, signed.byteOffset, signed.length).toString('utf8')) as { repository?: { full_name?: unknown } } | null;
    const name = body?.repository?.full_name;
    return typeof name === 'string' && NAME.test(name) ? name : null;
  } catch {
    return null;
  }
}
