// Loopback trust (no dashboard.auth): only a request nothing but this machine can have sent passes;
// every row names the outcome it expects.
import { describe, expect, it } from 'vitest';
import { isLoopbackName, loopbackTrust, type TrustRequest } from '../../src/http/peer.ts';

const LOCAL: TrustRequest = { listenHost: '127.0.0.1', peer: '127.0.0.1', host: '127.0.0.1:8080', origin: null, secFetchSite: null, forwarded: false, stateChange: false };
const POST: TrustRequest = { ...LOCAL, stateChange: true };

describe('loopbackTrust', () => {
  it.each<[string, Partial<TrustRequest>, string]>([
    ['loopback listener, peer and Host', {}, 'ok'],
    ['Host localhost', { host: 'localhost:8080' }, 'ok'],
    ['Host [::1]', { host: '[::1]:8080', peer: '::1', listenHost: '::1' }, 'ok'],
    ['listener localhost', { listenHost: 'localhost' }, 'ok'],
    ['listener 0.0.0.0', { listenHost: '0.0.0.0' }, 'server.listen (0.0.0.0) is not loopback-only'],
    ['listener ::', { listenHost: '::' }, 'not loopback-only'],
    ['listener on a LAN address', { listenHost: '10.0.0.5' }, 'not loopback-only'],
    ['a proxy header', { forwarded: true }, 'through a proxy'],
    ['a LAN peer', { peer: '192.168.1.20' }, 'only loopback peers'],
    ['an unknown peer', { peer: undefined }, 'only loopback peers'],
    ['a foreign Host (DNS rebinding)', { host: 'attacker.example:8080' }, 'Host header'],
    ['a Host that only starts like loopback', { host: '127.0.0.1.attacker.example' }, 'Host header'],
    ['no Host', { host: null }, 'Host header'],
    ['a GET with a foreign Origin (read-only)', { origin: 'http://attacker.example' }, 'ok'],
  ])('%s', (_name, r, want) => {
    const t = loopbackTrust({ ...LOCAL, ...r });
    if (want === 'ok') expect(t).toEqual({ ok: true });
    else expect(t).toMatchObject({ ok: false, detail: expect.stringContaining(want) });
  });

  it.each<[string, Partial<TrustRequest>, boolean]>([
    ['a POST without Origin (curl)', {}, true],
    ['a POST from a loopback origin', { origin: 'http://127.0.0.1:8080', secFetchSite: 'same-origin' }, true],
    ['a POST typed in the browser bar', { secFetchSite: 'none' }, true],
    ['a cross-site text/plain form POST', { origin: 'http://attacker.example', secFetchSite: 'cross-site' }, false],
    ['a POST from another origin without Sec-Fetch-Site', { origin: 'http://attacker.example' }, false],
    ['a POST from a sandboxed frame (Origin: null)', { origin: 'null' }, false],
    ['a same-site but cross-origin POST', { origin: 'http://localhost:9999', secFetchSite: 'same-site' }, false],
    ['a POST with an unparsable Origin', { origin: 'not a url' }, false],
  ])('state change: %s', (_name, r, ok) => expect(loopbackTrust({ ...POST, ...r }).ok).toBe(ok));

  it('every refusal names dashboard.auth', () => {
    for (const r of [{ listenHost: '0.0.0.0' }, { forwarded: true }, { peer: '10.0.0.1' }, { host: 'x' }]) {
      expect(loopbackTrust({ ...LOCAL, ...r })).toMatchObject({ detail: expect.stringContaining('dashboard.auth') });
    }
  });
});

it.each([
  ['localhost', true], ['LOCALHOST', true], ['127.0.0.1', true], ['127.9.9.9', true], ['::1', true], ['[::1]', true],
  ['0.0.0.0', false], ['::', false], ['localhost.attacker.example', false], ['', false], [null, false],
])('isLoopbackName(%s) -> %s', (h, want) => expect(isLoopbackName(h)).toBe(want));
