// Authentic: HMAC-SHA256 of the exact signed bytes, compared in constant time against the current
// secret and every previous one (rotation). Pure apart from node:crypto.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../secret.ts';

export type SignatureCheck =
  | { ok: true; secretIndex: number } // 0 = current secret, 1.. = previous_secrets
  | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' };

const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * The hex signature a delivery carries: X-Gitea-Signature (Gitea, hex), X-Forgejo-Signature,
 * X-Gogs-Signature, or X-Hub-Signature-256 (`sha256=<hex>`), first present wins.
 */
export function signatureFromHeaders(get: (name: string) => string | null | undefined): string | null {
  for (const name of ['x-gitea-signature', 'x-forgejo-signature', 'x-gogs-signature']) {
    const v = get(name);
    if (v) return v.trim();
  }
  const hub = get('x-hub-signature-256');
  if (hub && hub.startsWith('sha256=') && hub.length > 7) return hub.slice(7).trim();
  return null;
}

export function hmacHex(key: string, body: string | Uint8Array): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/**
 * The signature check fed chunk by chunk as the body arrives: one HMAC per secret runs alongside the
 * read, so the raw bytes are hashed once, in place, and junk is refused without another pass.
 */
export interface IncrementalCheck {
  update(chunk: Uint8Array): void;
  result(): SignatureCheck;
}

export function incrementalCheck(provided: string | null, secrets: readonly Secret[]): IncrementalCheck {
  if (!provided) return { update: () => {}, result: () => ({ ok: false, reason: 'missing' }) };
  if (!HEX64.test(provided)) return { update: () => {}, result: () => ({ ok: false, reason: 'malformed' }) };
  const hmacs = secrets.map((secret) => createHmac('sha256', secret.reveal()));
  return {
    update: (chunk) => hmacs.forEach((h) => h.update(chunk)),
    result() {
      const given = Buffer.from(provided.toLowerCase(), 'hex');
      let match = -1;
      // Every secret is compared (no early exit) so timing does not tell which one matched.
      hmacs.forEach((h, i) => {
        if (timingSafeEqual(h.digest(), given) && match < 0) match = i;
      });
      return match >= 0 ? { ok: true, secretIndex: match } : { ok: false, reason: 'mismatch' };
    },
  };
}

export function checkSignature(signed: Uint8Array, provided: string | null, secrets: readonly Secret[]): SignatureCheck {
  const check = incrementalCheck(provided, secrets);
  check.update(signed);
  return check.result();
}
