// The access decision as a pure function: loopback detection, bearer/basic/cookie/?token=, and
// the refusals (each must be able to fail: every row names the outcome it expects).
import { describe, expect, it } from 'vitest';
import { cookieValueFor, dashboardLink, decideAccess, isLoopback, safeEqual, sessionCookie, withoutToken, type AccessRequest } from '../../src/dashboard/auth.ts';
import type { TrustRequest } from '../../src/http/peer.ts';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::FFFF:127.1.2.3', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['128.0.0.1', false],
    ['127.0.0.1.evil', false],
    ['127.example.com', false],
    ['fe80::1', false],
    ['2001:db8::1', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (addr, want) => expect(isLoopback(addr)).toBe(want));
});

const TOKEN = 'dashboard-token-0e1f2a3b';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const LIFETIME = 12 * 3_600_000;
/** A request from this machine to a loopback-only listener: what loopback trust accepts. */
const LOCAL: TrustRequest = { listenHost: '127.0.0.1', peer: '127.0.0.1', host: '127.0.0.1:8080', origin: null, secFetchSite: null, forwarded: false, stateChange: false };
const REMOTE: TrustRequest = { ...LOCAL, listenHost: '0.0.0.0', peer: '203.0.113.7', host: 'monitor.example.com' };
const base: AccessRequest = { token: TOKEN, trust: REMOTE, authorization: null, cookie: undefined, queryToken: null, now: NOW, sessionLifetimeMs: LIFETIME };
/** A session cookie that is still valid at NOW. */
const session = (token = TOKEN) => cookieValueFor(token, NOW + 60_000);
const basic = (user: string, pass: string) => 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');

describe('decideAccess with a token', () => {
  it.each<[string, Partial<AccessRequest>, string]>([
    ['bearer token', { authorization: `Bearer ${TOKEN}` }, 'allow'],
    ['bearer, any case of the scheme', { authorization: `bearer ${TOKEN}` }, 'allow'],
    ['basic-auth password', { authorization: basic('ops', TOKEN) }, 'allow'],
    ['session cookie', { cookie: session() }, 'allow'],
    ['?token= once', { queryToken: TOKEN }, 'redirect'],
    ['wrong bearer', { authorization: 'Bearer nope' }, 'deny 401'],
    ['bearer with the token as a prefix', { authorization: `Bearer ${TOKEN}x` }, 'deny 401'],
    ['empty bearer', { authorization: 'Bearer' }, 'deny 401'],
    ['wrong basic password', { authorization: basic('ops', 'nope') }, 'deny 401'],
    ['unknown scheme', { authorization: `Token ${TOKEN}` }, 'deny 401'],
    ['the raw token as the cookie', { cookie: TOKEN }, 'deny 401'],
    ['a cookie for another token', { cookie: session('other-token') }, 'deny 401'],
    ['wrong ?token=', { queryToken: 'nope' }, 'deny 401'],
    ['nothing', {}, 'deny 401'],
    ['loopback peer is not enough when a token is set', { trust: LOCAL }, 'deny 401'],
    ['a wrong bearer is not rescued by a good cookie', { authorization: 'Bearer nope', cookie: session() }, 'deny 401'],
  ])('%s', (_name, r, want) => {
    const a = decideAccess({ ...base, ...r });
    expect(a.kind === 'deny' ? `deny ${a.status}` : a.kind).toBe(want);
  });

  it('trades ?token= for a cookie holding the expiry and an HMAC of the token, never the token', () => {
    const a = decideAccess({ ...base, queryToken: TOKEN });
    expect(a).toEqual({ kind: 'redirect', cookie: cookieValueFor(TOKEN, NOW + LIFETIME), maxAgeSeconds: LIFETIME / 1000 });
    const c = cookieValueFor(TOKEN, NOW + LIFETIME);
    expect(c).not.toContain(TOKEN);
    expect(c).toMatch(new RegExp(`^${(NOW + LIFETIME) / 1000}\\.[A-Za-z0-9_-]{43}$`));
    expect(c).toBe(cookieValueFor(TOKEN, NOW + LIFETIME)); // stable across restarts and replicas
    expect(c).not.toBe(cookieValueFor(TOKEN + '2', NOW + LIFETIME));
  });

  it('a session expires after dashboard.auth.session_lifetime, and its expiry cannot be moved', () => {
    const cookie = (decideAccess({ ...base, queryToken: TOKEN }) as { cookie: string }).cookie;
    expect(decideAccess({ ...base, cookie, now: NOW + LIFETIME - 1000 }).kind).toBe('allow');
    expect(decideAccess({ ...base, cookie, now: NOW + LIFETIME })).toMatchObject({ kind: 'deny', status: 401, detail: expect.stringContaining('session_lifetime') });
    const forged = `${(NOW + 10 * LIFETIME) / 1000}.${cookie.split('.')[1]}`;
    expect(decideAccess({ ...base, cookie: forged, now: NOW + LIFETIME })).toMatchObject({ kind: 'deny', status: 401 });
    expect(decideAccess({ ...base, cookie: forged, now: NOW })).toMatchObject({ kind: 'deny', status: 401 });
  });

  it('tells the user how to get in, without the token', () => {
    const a = decideAccess(base);
    expect(a).toMatchObject({ kind: 'deny', status: 401, detail: expect.stringContaining('Authorization: Bearer') });
    expect(JSON.stringify(a)).not.toContain(TOKEN);
  });
});

describe('decideAccess without a token (loopback only)', () => {
  const open: AccessRequest = { ...base, token: null };
  // The trust rule itself has its table in test/http/peer.test.ts; here: it decides, with 403.
  it.each<[string, Partial<TrustRequest>, Partial<AccessRequest>, string]>([
    ['a loopback request', {}, {}, 'allow'],
    ['a LAN peer', { peer: '192.168.1.20' }, {}, 'deny 403'],
    ['a public peer, even with a bearer', { peer: '203.0.113.7' }, { authorization: 'Bearer anything' }, 'deny 403'],
    ['loopback, but through a proxy', { forwarded: true }, {}, 'deny 403'],
    ['loopback, but a foreign Host (DNS rebinding)', { host: 'attacker.example:8080' }, {}, 'deny 403'],
    ['loopback, but the listener is 0.0.0.0', { listenHost: '0.0.0.0' }, {}, 'deny 403'],
  ])('%s', (_name, t, r, want) => {
    const a = decideAccess({ ...open, ...r, trust: { ...LOCAL, ...t } });
    expect(a.kind === 'deny' ? `deny ${a.status}` : a.kind).toBe(want);
  });
  it('names the setting that opens it', () => {
    expect(decideAccess({ ...open, trust: { ...LOCAL, peer: '10.1.2.3' } })).toMatchObject({ detail: expect.stringContaining('dashboard.auth') });
  });
});

describe('helpers', () => {
  it('safeEqual compares whole values of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
  it.each([
    ['http://h/ui/?token=x', '/ui/'],
    ['http://h/ui/runs?repo=dataforge%2Fapi&token=x&status=failed', '/ui/runs?repo=dataforge%2Fapi&status=failed'],
    ['http://h/ui/api/runs?token=x&token=y', '/ui/api/runs'],
  ])('withoutToken(%s) = %s', (url, want) => expect(withoutToken(new URL(url))).toBe(want));
  it('dashboardLink carries the token once (URL-encoded), or none in loopback mode', () => {
    expect(dashboardLink('http://127.0.0.1:8080/', 'a b&c')).toBe('http://127.0.0.1:8080/ui/?token=a%20b%26c');
    expect(dashboardLink('http://127.0.0.1:8080', null)).toBe('http://127.0.0.1:8080/ui/');
  });
  it('the session cookie is HttpOnly, SameSite=Strict, scoped to /ui, Secure over https', () => {
    expect(sessionCookie('v', false, 43200)).toBe('monitor_ui=v; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=43200');
    expect(sessionCookie('v', true, 43200)).toMatch(/; Secure$/);
  });
});
