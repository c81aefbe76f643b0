// Facts about the peer and its credentials that both the operator endpoints and the dashboard use,
// and the one rule for trusting a request without a token ("loopback trust").
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x; anything else (or unknown) is not loopback. */
export function isLoopback(addr: string | undefined | null): boolean {
  if (!addr) return false;
  const a = addr.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return isIPv4(v4) && v4.startsWith('127.');
}

/** A host name or address that can only mean this machine: localhost, 127.x, ::1 (brackets allowed). */
export function isLoopbackName(host: string | undefined | null): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || isLoopback(h);
}

/** The host part of a Host header value (`name:port`, `[v6]:port`). */
function hostOfHeader(value: string): string {
  const v = value.trim();
  if (v.startsWith('[')) return v.slice(0, v.indexOf(']') + 1);
  const at = v.lastIndexOf(':');
  return at >= 0 ? v.slice(0, at) : v;
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export interface TrustRequest {
  /** The listen address (server.host): trust without a token needs a loopback-only listener. */
  listenHost: string;
  /** The TCP peer address (socket.remoteAddress). */
  peer: string | undefined;
  host: string | null;
  origin: string | null;
  secFetchSite: string | null;
  /** The request names a client behind a proxy (Forwarded, X-Forwarded-For, X-Real-IP). */
  forwarded: boolean;
  /** The request changes state (POST /-/reload): a browser on another origin must not send it. */
  stateChange: boolean;
}

/**
 * Without dashboard.auth a request is trusted only when nothing but this machine can have sent it:
 * a loopback-only listener (any proxy or port forward would otherwise expose everything), a loopback
 * peer without proxy headers, a loopback Host (a DNS-rebound name is refused) and, for state changes,
 * no other origin (a cross-site form or text/plain POST carries Origin or Sec-Fetch-Site).
 */
export function loopbackTrust(r: TrustRequest): { ok: true } | { ok: false; detail: string } {
  const fix = 'set dashboard.auth.token to use the dashboard and POST /-/reload';
  if (!isLoopbackName(r.listenHost)) return { ok: false, detail: `dashboard.auth is not set and server.listen (${r.listenHost}) is not loopback-only; ${fix}` };
  if (r.forwarded) return { ok: false, detail: `dashboard.auth is not set and this request came through a proxy; ${fix} remotely` };
  if (!isLoopback(r.peer)) return { ok: false, detail: `dashboard.auth is not set, so only loopback peers are served; ${fix} from other hosts` };
  if (!isLoopbackName(hostOfHeader(r.host ?? ''))) return { ok: false, detail: `dashboard.auth is not set and the Host header is not a loopback name (localhost, 127.0.0.1, [::1]); ${fix} under another name` };
  if (r.stateChange) {
    let originHost: string | null = null;
    try {
      originHost = r.origin === null || r.origin === 'null' ? r.origin : new URL(r.origin).hostname;
    } catch {
      originHost = '';
    }
    const site = r.secFetchSite?.toLowerCase() ?? null;
    if ((r.origin !== null && !isLoopbackName(originHost)) || (site !== null && site !== 'same-origin' && site !== 'none')) {
      return { ok: false, detail: 'cross-origin request refused: a page on another origin cannot change the monitor' };
    }
  }
  return { ok: true };
}

/** The trust facts of a request as h3 presents it. */
export function trustRequestOf(headers: Headers, peer: string | undefined, listenHost: string, stateChange: boolean): TrustRequest {
  return {
    listenHost,
    peer,
    host: headers.get('host'),
    origin: headers.get('origin'),
    secFetchSite: headers.get('sec-fetch-site'),
    forwarded: headers.has('forwarded') || headers.has('x-forwarded-for') || headers.has('x-real-ip'),
    stateChange,
  };
}
