import { describe, expect, it } from 'vitest';
import { expandRequestedEvents, keysOfReturnedEvents, listEvents, sameEvents } from '../../src/reconcile/events.ts';

describe('event sets as Gitea stores them', () => {
  it.each([
    [[], ['push']],
    [['PUSH', 'Create'], ['create', 'push']],
    [['issues'], ['issue_assign', 'issue_comment', 'issue_label', 'issue_milestone', 'issues']],
    [['issues_only'], ['issues']],
    [['pull_request_review'], ['pull_request_review_approved', 'pull_request_review_comment', 'pull_request_review_rejected']],
    [['pull_request'], ['pull_request', 'pull_request_assign', 'pull_request_comment', 'pull_request_label', 'pull_request_milestone',
      'pull_request_review_approved', 'pull_request_review_comment', 'pull_request_review_rejected', 'pull_request_review_request', 'pull_request_sync']],
  ])('requesting %j enables %j', (names, keys) => {
    expect(listEvents(expandRequestedEvents(names))).toEqual(keys);
  });

  it('reads returned keys literally: "issues" there is issues_only', () => {
    expect(sameEvents(keysOfReturnedEvents(['issues']), expandRequestedEvents(['issues']))).toBe(false);
    expect(sameEvents(keysOfReturnedEvents(['issues']), expandRequestedEvents(['issues_only']))).toBe(true);
    expect(sameEvents(keysOfReturnedEvents(['release', 'push']), expandRequestedEvents(['push', 'release']))).toBe(true);
    expect(sameEvents(keysOfReturnedEvents(null), expandRequestedEvents(['push']))).toBe(false);
  });
});
