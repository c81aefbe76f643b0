import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { GiteaError } from '../../src/adapters/gitea/errors.ts';
import { reconcileOnce } from '../../src/reconcile/run.ts';
import { createHookStatus } from '../../src/reconcile/status.ts';
import { fakeGitea } from './helpers/fake-gitea.ts';
import { reconcileConfig, rule } from './helpers/config.ts';

describe('hook status for /webhook/health', () => {
  it('is pending once the hook matches, ready after a verified delivery, pending again after a rotation', async () => {
    const gitea = fakeGitea({ df: ['a', 'b'] });
    const storage = createStorage();
    const status = createHookStatus();
    expect(status.list()).toEqual([]);
    status.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(status.list()).toEqual([
      { repo: 'df/a', hook: 'pending', detail: 'hook matches; waiting for a signed delivery' },
      { repo: 'df/b', hook: 'pending', detail: 'hook matches; waiting for a signed delivery' },
    ]);
    status.markVerified('df/a');
    status.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage }));
    expect(status.list().map((r) => r.hook)).toEqual(['ready', 'pending']);
    status.recordPass(await reconcileOnce(reconcileConfig({ secret: 'rotated' }), { client: gitea, storage }));
    expect(status.list().map((r) => r.hook)).toEqual(['pending', 'pending']);
  });

  it('shows the last error of a repo whose hook could not be listed or written', async () => {
    const gitea = fakeGitea({ df: ['a', 'b'] });
    const status = createHookStatus();
    gitea.fail('POST', 'repo:df/a', new GiteaError('forbidden', 'the token lacks write:repository on df/a', 403));
    gitea.fail('GET', 'repo:df/b', new GiteaError('server', 'Gitea answered 500', 500));
    status.recordPass(await reconcileOnce(reconcileConfig(), { client: gitea, storage: createStorage() }));
    expect(status.list()).toEqual([
      { repo: 'df/a', hook: 'error', detail: 'the token lacks write:repository on df/a' },
      { repo: 'df/b', hook: 'error', detail: 'cannot list the hooks of df/b: Gitea answered 500' },
    ]);
    status.recordFailure('Gitea rejected the token (gitea.token)');
    expect(status.list().map((r) => r.detail)).toEqual(['Gitea rejected the token (gitea.token)', 'Gitea rejected the token (gitea.token)']);
  });

  it('an org hook covers every declared repo of the owner; a delivery from any of them verifies it', async () => {
    const gitea = fakeGitea({ df: ['a', 'b', 'sandbox'] });
    const status = createHookStatus();
    status.markVerified('df/sandbox'); // before the first pass: remembered until the target is known
    status.recordPass(await reconcileOnce(reconcileConfig({ repos: [rule('df/*', { scope: 'org', exclude: ['df/sandbox'] })] }), { client: gitea, storage: createStorage() }));
    expect(status.list()).toEqual([
      { repo: 'df/a', hook: 'pending', detail: 'org hook matches; waiting for a signed delivery' },
      { repo: 'df/b', hook: 'pending', detail: 'org hook matches; waiting for a signed delivery' },
    ]);
    status.markVerified('df/sandbox');
    expect(status.list().map((r) => r.hook)).toEqual(['ready', 'ready']);
  });
});
