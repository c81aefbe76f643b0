// Who may see the dashboard: a pure decision over what the request carries. With
// `dashboard.auth.token`: a bearer token (or basic-auth password), or `?token=` once, which is
// traded for a session cookie `<expiry>.<HMAC of the token and the expiry>` (never the token), valid
// for `dashboard.auth.session_lifetime`. Without it: loopback peers only.
import { createHmac } from 'node:crypto';
import { loopbackTrust, safeEqual, type TrustRequest } from '../http/peer.ts';

export const COOKIE_NAME = 'monitor_ui';
// Derived from the token and the expiry, not from a per-process key, so the cookie survives a restart
// and works on every replica behind the load balancer; a new token invalidates every cookie.
const COOKIE_LABEL = 'gitea-releases-monitor dashboard session v2';

export interface AccessRequest {
  /** The configured dashboard token, or null when `dashboard.auth` is not set. */
  token: string | null;
  authorization: string | null;
  cookie: string | undefined;
  /** The `token` query parameter, when present. */
  queryToken: string | null;
  /** What loopback trust looks at when there is no token. */
  trust: TrustRequest;
  /** Epoch ms, and how long a new session lasts (dashboard.auth.session_lifetime). */
  now: number;
  sessionLifetimeMs: number;
}

export type Access =
  | { kind: 'allow' }
  | { kind: 'redirect'; cookie: string; maxAgeSeconds: number }
  | { kind: 'deny'; status: 401 | 403; detail: string };

export { isLoopback, safeEqual } from '../http/peer.ts';

/** The session cookie's value for a session that ends at expiresAt (epoch ms). */
export function cookieValueFor(token: string, expiresAt: number): string {
  const exp = Math.floor(expiresAt / 1000);
  return `${exp}.${createHmac('sha256', token).update(`${COOKIE_LABEL}\n${exp}`).digest('base64url')}`;
}

function cookieValid(cookie: string, token: string, now: number): 'ok' | 'expired' | 'bad' {
  const m = /^(\d{1,12})\.[A-Za-z0-9_-]{43}$/.exec(cookie);
  if (!m || !safeEqual(cookie, cookieValueFor(token, Number(m[1]) * 1000))) return 'bad';
  return Number(m[1]) * 1000 > now ? 'ok' : 'expired';
}


function credentialOf(authorization: string | null): string | null {
  if (!authorization) return null;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1); // any user name, the password is the token
  }
  return '';
}

export function decideAccess(r: AccessRequest): Access {
  if (r.token === null) {
    const t = loopbackTrust(r.trust);
    return t.ok ? { kind: 'allow' } : { kind: 'deny', status: 403, detail: t.detail };
  }
  if (r.queryToken !== null) {
    return safeEqual(r.queryToken, r.token)
      ? { kind: 'redirect', cookie: cookieValueFor(r.token, r.now + r.sessionLifetimeMs), maxAgeSeconds: Math.floor(r.sessionLifetimeMs / 1000) }
      : { kind: 'deny', status: 401, detail: 'the token in the link is not the dashboard token' };
  }
  const credential = credentialOf(r.authorization);
  if (credential !== null) {
    return safeEqual(credential, r.token) ? { kind: 'allow' } : { kind: 'deny', status: 401, detail: 'the Authorization header does not carry the dashboard token' };
  }
  if (r.cookie !== undefined) {
    const v = cookieValid(r.cookie, r.token, r.now);
    if (v === 'ok') return { kind: 'allow' };
    return { kind: 'deny', status: 401, detail: v === 'expired' ? 'the dashboard session has expired (dashboard.auth.session_lifetime); open the link with ?token= again' : 'the session cookie is no longer valid (was the dashboard token changed?); open the link with ?token= again' };
  }
  return { kind: 'deny', status: 401, detail: 'send Authorization: Bearer <dashboard token>, or open /ui/?token=<dashboard token> once' };
}

/** The same path and query, minus `token` (what the browser is redirected to after ?token=). */
export function withoutToken(url: URL): string {
  const q = new URLSearchParams(url.search);
  q.delete('token');
  const s = q.toString();
  return url.pathname + (s ? `?${s}` : '');
}

/** `secure`: the daemon is served over https (webhook.public_url), never a client's header. */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds: number): string {
  return `${COOKIE_NAME}=${value}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** The link `monitor demo` (or an operator) opens once: the token in it is traded for a cookie. */
export function dashboardLink(daemonUrl: string, token: string | null): string {
  return `${daemonUrl.replace(/\/+$/, '')}/ui/${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}
