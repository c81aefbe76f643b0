// Who may use the operator endpoints (POST /-/reload): the dashboard token as a bearer token when
// dashboard.auth is set, otherwise only a same-machine request (loopbackTrust, the dashboard's rule).
import type { H3Event } from 'h3';
import type { Secret } from '../secret.ts';
import { loopbackTrust, safeEqual, trustRequestOf } from './peer.ts';

export function operatorAllowed(event: H3Event, token: Secret | null, listenHost: string, stateChange = true): { ok: true } | { ok: false; detail: string } {
  if (!token) return loopbackTrust(trustRequestOf(event.req.headers, event.runtime?.node?.req?.socket?.remoteAddress, listenHost, stateChange));
  const m = /^bearer\s+(.+)$/i.exec((event.req.headers.get('authorization') ?? '').trim());
  return m && safeEqual(m[1]!, token.reveal()) ? { ok: true } : { ok: false, detail: 'POST /-/reload needs the dashboard token as Authorization: Bearer' };
}
