import { describe, expect, it } from 'vitest';
import { scrubDeep, scrubText, secretValuesOf } from '../../src/dashboard/scrub.ts';
import { Secret } from '../../src/secret.ts';
import type { Config } from '../../src/config/config.ts';

const config = {
  gitea: { token: new Secret('gitea-token-123') },
  webhook: { secret: new Secret('hook&"secret<1>'), previousSecrets: [new Secret('old-secret-9')] },
  matrix: { accessToken: new Secret('syt_matrix_tok') },
  dashboard: { token: null },
  triggers: [{ secret: new Secret('trig-secret-7') }, { secret: new Secret('abc') }],
} as unknown as Config;

describe('scrub', () => {
  const secrets = secretValuesOf(config);
  it('redacts every secret of the config, as is and in its HTML, JSON and URL forms', () => {
    const text = 'a gitea-token-123 b hook&amp;&quot;secret&lt;1&gt; c hook&\\"secret<1> d old-secret-9 e syt_matrix_tok f trig-secret-7 g hook%26%22secret%3C1%3E';
    expect(scrubText(text, secrets)).toBe('a [redacted] b [redacted] c [redacted] d [redacted] e [redacted] f [redacted] g [redacted]');
  });
  it('leaves values too short to be real tokens alone (they would blank ordinary words)', () => {
    expect(scrubText('abc', secrets)).toBe('abc');
  });
  it('walks JSON values', () => {
    expect(scrubDeep({ a: ['x syt_matrix_tok'], b: { c: 'old-secret-9' }, n: 1, z: null }, secrets)).toEqual({ a: ['x [redacted]'], b: { c: '[redacted]' }, n: 1, z: null });
  });
});
