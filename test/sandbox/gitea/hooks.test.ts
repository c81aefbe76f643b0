import { describe, expect, it } from 'vitest';
import { expandEvents } from '../../../src/sandbox/gitea/hooks.ts';

describe('hook events (updateHookEvents)', () => {
  it.each([
    [undefined, ['push']],
    [[], ['push']],
    [['create', 'DELETE', 'nope'], ['create', 'delete']],
    [['issues'], ['issues', 'issue_assign', 'issue_label', 'issue_milestone', 'issue_comment']],
    [['issues_only'], ['issues']],
    [['issue_comment'], ['issue_comment']],
    [['pull_request_only', 'pull_request_sync'], ['pull_request', 'pull_request_sync']],
    [['pull_request_review'], ['pull_request_review_approved', 'pull_request_review_rejected', 'pull_request_review_comment']],
  ])('%j -> %j', (names, expected) => {
    expect(new Set(expandEvents(names))).toEqual(new Set(expected));
    expect(expandEvents(names)).toHaveLength(expected.length);
  });

  it('pull_request enables the whole family of ten keys', () => {
    expect(expandEvents(['pull_request'])).toHaveLength(10);
  });
});
