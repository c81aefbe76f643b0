// Reconcile and the receiver agree on which repositories a rule declares: names match without case.
import { expect, it } from 'vitest';
import { expandDesired } from '../../src/reconcile/desired.ts';
import { compileRoutes, isDeclared } from '../../src/pipeline/route.ts';
import type { Config } from '../../src/config/config.ts';
import { Secret } from '../../src/secret.ts';

it('declares the same repositories as the receiver routes, whatever their case', async () => {
  const repos: Config['repos'] = [{ match: 'dataforge/*', exclude: ['dataforge/sandbox-*'], notify: ['news'], branches: ['*'], events: null, scope: 'repo' }];
  const webhook = { publicUrl: 'https://m.example/webhook/gitea', secret: new Secret('s'), previousSecrets: [], events: ['push' as const], branchFilter: '', contentType: 'json' as const };
  const names = ['DataForge/API', 'dataforge/web', 'DataForge/Sandbox-1', 'dataforge/.hidden'];
  const client = { listOwnerRepos: async () => ({ items: names.map((full_name, i) => ({ id: i + 1, name: full_name.split('/')[1]!, full_name })), total: names.length }) };
  const desired = await expandDesired({ repos, webhook }, client as never);
  const routes = compileRoutes(repos);
  expect(desired.declared.map((d) => d.repo).sort()).toEqual(names.filter((n) => isDeclared(routes, n)).sort());
  expect(desired.declared.map((d) => d.repo).sort()).toEqual(['DataForge/API', 'dataforge/.hidden', 'dataforge/web']);
});
