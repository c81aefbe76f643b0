import { describe, expect, it } from 'vitest';
import type { GiteaHook, HookBody } from '../../src/adapters/gitea/types.ts';
import { formatPlanJson, formatPlanText, summaryLine } from '../../src/reconcile/format.ts';
import { plan } from '../../src/reconcile/plan.ts';

const OURS = 'https://monitor.example.com/webhook/gitea';
const body: HookBody = { type: 'gitea', config: { url: OURS, content_type: 'json' }, events: ['push', 'create'], branch_filter: '', authorization_header: '', active: true };
const h = (id: number, over: Partial<GiteaHook> = {}): GiteaHook => ({
  id, type: 'gitea', config: { url: OURS, content_type: 'json' }, events: ['push', 'create'], branch_filter: '', authorization_header: '', active: true, ...over,
});
const repo = (r: string) => ({ kind: 'repo' as const, repo: r });

function samplePlan() {
  return plan({
    desired: { publicUrl: OURS, body, targets: [repo('df/api'), repo('df/web'), repo('df/cli'), repo('df/new')], complete: true, problems: [] },
    listed: [
      { target: repo('df/api'), hooks: [h(1, { config: { url: 'https://user:pw@ci.example.com/hook?token=abc', content_type: 'json' } })] },
      { target: repo('df/web'), hooks: [h(2, { events: ['push'], active: false, authorization_header: 'Bearer topsecret' })] },
      { target: repo('df/cli'), hooks: [h(3)] },
      { target: repo('df/new'), hooks: [] },
      { target: repo('df/old'), hooks: [h(4)] },
    ],
    remembered: new Map([['repo:df/web', new Map([[2, 'fp']])], ['repo:df/cli', new Map([[3, 'fp-old']])], ['repo:df/old', new Map([[4, 'fp']])]]),
    fingerprint: 'fp',
    prune: true,
  });
}

describe('formatPlanText', () => {
  it('prints terraform-style lines and the summary', () => {
    const text = formatPlanText(samplePlan());
    expect(text).toContain('  + df/api\n');
    expect(text).toContain('  + df/new\n');
    expect(text).toContain('  ~ df/web #2\n      events: [push] → [create, push]\n      active: false → true\n      authorization_header: (set) → (none)\n');
    expect(text).toContain('  - df/old #4\n      delete (repository no longer declared)\n');
    expect(text).toContain('  ± df/cli #3\n      secret: rotates (a new hook is created first, then #3 is deleted)\n');
    expect(text).toMatch(/  ! df\/api #1\n      foreign hook left alone \(gitea → https:\/\/ci\.example\.com \(url #[0-9a-f]{8}\)\)\n/);
    expect(text).toMatch(/Plan: 2 to create, 1 to update, 1 to delete, 1 to rotate, 1 foreign hook left alone\.\n$/);
  });

  it('never shows an authorization header, credentials in a foreign URL, or a token in its query', () => {
    for (const out of [formatPlanText(samplePlan()), formatPlanJson(samplePlan())]) {
      expect(out).not.toContain('topsecret');
      expect(out).not.toContain('pw@');
      expect(out).not.toContain('token=abc');
    }
  });

  it('shows a foreign hook as scheme + host and a short hash: never its path (bot and webhook tokens live there)', () => {
    const telegram = 'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage';
    const slack = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
    const p = plan({
      desired: { publicUrl: OURS, body, targets: [repo('df/api')], complete: true, problems: [] },
      listed: [{ target: repo('df/api'), hooks: [h(1), h(7, { type: 'telegram', config: { url: telegram } }), h(8, { type: 'slack', config: { url: slack } }), h(9, { type: 'slack', config: { url: slack + 'Y' } })] }],
      remembered: new Map([['repo:df/api', new Map([[1, 'fp']])]]),
      fingerprint: 'fp',
      prune: true,
    });
    for (const out of [formatPlanText(p), formatPlanJson(p)]) {
      for (const secret of ['AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', 'bot123456789', 'XXXXXXXXXXXXXXXXXXXXXXXX', 'T00000000', '/services/', '/sendMessage']) expect(out).not.toContain(secret);
    }
    const urls = p.foreign.map((f) => f.url);
    expect(urls[0]).toMatch(/^https:\/\/api\.telegram\.org \(url #[0-9a-f]{8}\)$/);
    expect(urls[1]).toMatch(/^https:\/\/hooks\.slack\.com \(url #[0-9a-f]{8}\)$/);
    expect(urls[2]).not.toBe(urls[1]); // two hooks to one host stay apart
  });

  it('says "No changes" when in sync', () => {
    const p = plan({
      desired: { publicUrl: OURS, body, targets: [repo('df/api')], complete: true, problems: [] },
      listed: [{ target: repo('df/api'), hooks: [h(1)] }],
      remembered: new Map([['repo:df/api', new Map([[1, 'fp']])]]),
      fingerprint: 'fp',
      prune: true,
    });
    expect(summaryLine(p)).toBe('No changes. Hooks match monitor.yaml.');
    expect(formatPlanText(p)).toBe(`Gitea hooks for ${OURS}\n\nNo changes. Hooks match monitor.yaml.\n`);
  });

  it('explains held-back deletions, a mass deletion and listing problems', () => {
    const p = plan({
      desired: { publicUrl: OURS, body, targets: [repo('df/a')], complete: false, problems: ['cannot list the repositories of df: Gitea answered 500'] },
      listed: [{ target: repo('df/a'), hooks: [] }, { target: repo('df/b'), hooks: [h(9)] }],
      remembered: new Map(),
      fingerprint: 'fp',
      prune: true,
    });
    const text = formatPlanText(p);
    expect(text).toContain('Deletions held back because the listing from Gitea was incomplete:\n  - df/b #9 (repository no longer declared) not deleted\n');
    expect(text).toContain('Error: cannot list the repositories of df: Gitea answered 500\n');
    expect(text).toContain('Plan: 1 to create, 0 to update, 0 to delete, 0 foreign hooks left alone.');
  });
});

describe('formatPlanJson', () => {
  it('is the plan as JSON with labels and the summary', () => {
    const json = JSON.parse(formatPlanJson(samplePlan()));
    expect(json.in_sync).toBe(false);
    expect(json.counts).toEqual({ create: 2, update: 1, delete: 1, rotate: 1, foreign: 1 });
    expect(json.actions.map((a: { kind: string; target: { label: string } }) => `${a.kind} ${a.target.label}`)).toEqual([
      'create df/api', 'rotate df/cli', 'create df/new', 'delete df/old', 'update df/web',
    ]);
    expect(json.body.config).toEqual({ url: OURS, content_type: 'json' });
  });
});
