// Run settlement as a table: which notice states settle a run, to what, and when it was notified.
import { expect, it } from 'vitest';
import { settleRun, type MemberState } from '../../../src/adapters/store/settle.ts';

const n = (status: MemberState['status'], sentAt: number | null = null): MemberState => ({ status, sentAt, digest: null });
const merged = (status: MemberState['status'], sentAt: number | null = null): MemberState => ({ status: 'merged', sentAt: null, digest: { status, sentAt } });

it.each([
  ['no notices: nothing to settle (recorded/skipped runs keep their status)', [], null],
  ['one pending notice: still queued', [n('pending')], null],
  ['one held notice: still queued', [n('held')], null],
  ['one sent notice: announced at its send', [n('sent', 5)], { status: 'announced', notifiedAt: 5 }],
  ['two rooms, one still pending: queued', [n('sent', 5), n('pending')], null],
  ['two rooms sent: announced at the later send', [n('sent', 5), n('sent', 9)], { status: 'announced', notifiedAt: 9 }],
  ['in a digest not yet sent: queued', [merged('pending')], null],
  ['in a digest sent: digested at the digest send', [merged('sent', 7)], { status: 'digested', notifiedAt: 7 }],
  ['one room direct, one room digested: digested', [n('sent', 5), merged('sent', 7)], { status: 'digested', notifiedAt: 7 }],
  ['a notice failed: failed, notified at the other send', [n('failed'), n('sent', 4)], { status: 'failed', notifiedAt: 4 }],
  ['the digest failed: failed, never notified', [merged('failed')], { status: 'failed', notifiedAt: null }],
  ['failed but another still pending: queued until all settle', [n('failed'), n('pending')], null],
] as const)('%s', (_name, members, expected) => {
  expect(settleRun([...members])).toEqual(expected);
});
