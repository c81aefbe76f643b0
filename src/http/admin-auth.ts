// Who may use the operator endpoints (POST /-/reload): the dashboard token as a bearer token when
// dashboard.auth is set, otherwise only peers on loopback.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { H3Event } from 'h3';
import type { Secret } from '../secret.ts';

export function isLoopback(address: string | undefined | null): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

/** Constant-time equality of two strings (compared as SHA-256 digests, so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}

export function peerAddress(event: H3Event): string | undefined {
  return event.runtime?.node?.req?.socket?.remoteAddress;
}

export function operatorAllowed(event: H3Event, token: Secret | null): boolean {
  if (!token) return isLoopback(peerAddress(event));
  const auth = event.req.headers.get('authorization') ?? '';
  const m = /^bearer\s+(.+)$/i.exec(auth.trim());
  return !!m && sameSecret(m[1]!, token.reveal());
}
