// The signature check fed chunk by chunk gives the same answer as over the whole body, for every
// secret (rotation), and tells missing and malformed signatures apart from a mismatch.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSignature, hmacHex, incrementalCheck } from '../../src/pipeline/verify.ts';
import { Secret } from '../../src/secret.ts';

const secrets = [new Secret('current-secret'), new Secret('previous-secret')];

it('chunked equals whole, for any split of any body', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 6 }), fc.integer({ min: 0, max: 2 }), (body, cuts, which) => {
      const key = ['current-secret', 'previous-secret', 'other'][which]!;
      const sig = hmacHex(key, body);
      const check = incrementalCheck(sig, secrets);
      let at = 0;
      for (const c of [...cuts].sort((a, b) => a - b)) (check.update(body.subarray(at, Math.max(at, c))), (at = Math.max(at, c)));
      check.update(body.subarray(at));
      const got = check.result();
      expect(got).toEqual(checkSignature(body, sig, secrets));
      expect(got).toEqual(which === 2 ? { ok: false, reason: 'mismatch' } : { ok: true, secretIndex: which });
    }),
  );
});

it('missing and malformed signatures are told apart', () => {
  expect(incrementalCheck(null, secrets).result()).toEqual({ ok: false, reason: 'missing' });
  expect(incrementalCheck('abc', secrets).result()).toEqual({ ok: false, reason: 'malformed' });
  expect(incrementalCheck(hmacHex('current-secret', 'x').toUpperCase(), secrets).result()).toEqual({ ok: false, reason: 'mismatch' });
});
