// repositoryClaimedBy: the repository an unverified body names, for health's count only.
import { describe, expect, it } from 'vitest';
import { repositoryClaimedBy } from '../../src/pipeline/unverified.ts';

const b = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('repositoryClaimedBy', () => {
  it.each<[string, Buffer, string | null]>([
    ['a push payload', b({ ref: 'refs/heads/main', repository: { full_name: 'dataforge/api' } }), 'dataforge/api'],
    ['no repository', b({ ref: 'x' }), null],
    ['not JSON', b('payload=%7B%7D'), null],
    ['a name that is not owner/name', b({ repository: { full_name: '../../etc' } }), null],
    ['a non-string name', b({ repository: { full_name: 42 } }), null],
    ['JSON null', b('null'), null],
    ['over 1 MiB: not parsed', b({ repository: { full_name: 'dataforge/api' }, pad: 'x'.repeat(1024 * 1024) }), null],
  ])('%s', (_, body, expected) => expect(repositoryClaimedBy(body)).toBe(expected));
});
