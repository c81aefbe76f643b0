// Gitea never returns a hook's secret, so to notice a changed secret we remember, per hook we
// created, an HMAC keyed by the secret over a fixed label: it identifies the secret without
// revealing it, and cannot be turned back into the secret (short of guessing it).
import { createHmac } from 'node:crypto';
import type { Secret } from '../secret.ts';

const LABEL = 'gitea-releases-monitor/webhook-secret-fingerprint/v1';

export function secretFingerprint(secret: Secret): string {
  return createHmac('sha256', secret.reveal()).update(LABEL).digest('hex');
}
