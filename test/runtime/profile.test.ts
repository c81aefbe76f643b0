import { expect, it } from 'vitest';
import { profileChanges } from '../../src/runtime/profile.ts';

it('changes only the configured fields that differ', () => {
  const none = { displayName: null, avatarUrl: null };
  expect(profileChanges(none, { displayName: 'x', avatarUrl: 'mxc://a/b' })).toEqual([]);
  expect(profileChanges({ displayName: 'Bot', avatarUrl: null }, none)).toEqual([['displayname', 'Bot']]);
  expect(profileChanges({ displayName: 'Bot', avatarUrl: 'mxc://a/b' }, { displayName: 'Bot', avatarUrl: 'mxc://a/c' })).toEqual([['avatar_url', 'mxc://a/b']]);
  expect(profileChanges({ displayName: 'Bot', avatarUrl: 'mxc://a/b' }, { displayName: 'Bot', avatarUrl: 'mxc://a/b' })).toEqual([]);
});
