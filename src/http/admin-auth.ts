// Who may use the operator endpoints (POST /-/reload): the dashboard token as a bearer token when
// dashboard.auth is set, otherwise only direct peers on loopback (the dashboard's rule).
import type { H3Event } from 'h3';
import type { Secret } from '../secret.ts';
import { isLoopback, safeEqual } from './peer.ts';

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

export function operatorAllowed(event: H3Event, token: Secret | null): boolean {
  if (!token) {
    // Behind a reverse proxy on the same host every peer looks local: proxied requests are refused.
    if (PROXY_HEADERS.some((h) => event.req.headers.has(h))) return false;
    return isLoopback(event.runtime?.node?.req?.socket?.remoteAddress);
  }
  const m = /^bearer\s+(.+)$/i.exec((event.req.headers.get('authorization') ?? '').trim());
  return !!m && safeEqual(m[1]!, token.reveal());
}
