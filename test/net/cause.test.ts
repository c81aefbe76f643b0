import { describe, expect, it } from 'vitest';
import { networkCause } from '../../src/net/cause.ts';

const sys = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('networkCause', () => {
  it('digs the system error out of undici\'s "fetch failed" and a wrapper around it', () => {
    const fetchFailed = new TypeError('fetch failed', { cause: sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8448') });
    expect(networkCause(fetchFailed)).toBe('ECONNREFUSED 127.0.0.1:8448');
    expect(networkCause(new Error('fetch failed: fetch failed', { cause: fetchFailed }))).toBe('ECONNREFUSED 127.0.0.1:8448');
    expect(networkCause(new TypeError('fetch failed', { cause: sys('ENOTFOUND', 'getaddrinfo ENOTFOUND matrix.example.com') }))).toBe('ENOTFOUND matrix.example.com');
  });

  it('takes the first of an AggregateError (IPv6 and IPv4 both refused), and a code its message lacks', () => {
    const agg = new AggregateError([sys('ECONNREFUSED', 'connect ECONNREFUSED ::1:8448'), sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8448')]);
    expect(networkCause(new TypeError('fetch failed', { cause: agg }))).toBe('ECONNREFUSED ::1:8448');
    expect(networkCause(sys('UND_ERR_SOCKET', 'other side closed'))).toBe('UND_ERR_SOCKET: other side closed');
    expect(networkCause('plain')).toBe('plain');
  });
});
