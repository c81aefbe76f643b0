// An in-memory GiteaClient for unit tests of desired/observe/apply/loop: hooks per target, a call
// log, and injectable failures. The real HTTP client is tested against a server in
// test/adapters/gitea; the whole path against the stand-in in test/cli/plan-apply.test.ts.
import type { GiteaClient } from '../../../src/adapters/gitea/client.ts';
import { GiteaError } from '../../../src/adapters/gitea/errors.ts';
import { targetKey, type GiteaHook, type GiteaRepo, type HookBody, type HookTarget, type Page } from '../../../src/adapters/gitea/types.ts';
import { expandRequestedEvents } from '../../../src/reconcile/events.ts';
import type { Secret } from '../../../src/secret.ts';

export interface FakeHook extends GiteaHook {
  secret: string;
}

export interface FakeGitea extends GiteaClient {
  repos: Map<string, string[]>;
  hooks: Map<string, FakeHook[]>;
  calls: string[];
  /** Make matching calls fail: `fail('GET', 'repo:o/r', new GiteaError(...))`. */
  fail(method: string, key: string, err: GiteaError, times?: number): void;
  addHook(target: HookTarget, hook: Partial<FakeHook> & { url: string }): FakeHook;
  hooksOf(target: HookTarget): FakeHook[];
}

export function fakeGitea(repos: Record<string, string[]> = {}): FakeGitea {
  const repoMap = new Map(Object.entries(repos));
  const hooks = new Map<string, FakeHook[]>();
  const calls: string[] = [];
  const failures: Array<{ method: string; key: string; err: GiteaError; times: number }> = [];
  let nextId = 1;
  let requests = 0;

  const check = (method: string, key: string) => {
    requests++;
    calls.push(`${method} ${key}`);
    const f = failures.find((x) => x.method === method && x.key === key && x.times > 0);
    if (f) {
      f.times--;
      throw f.err;
    }
  };
  const list = (t: HookTarget) => {
    const k = targetKey(t);
    if (!hooks.has(k)) hooks.set(k, []);
    return hooks.get(k)!;
  };
  const exists = (t: HookTarget) => (t.kind === 'org' ? repoMap.has(t.org) : (repoMap.get(t.repo.split('/')[0]!) ?? []).includes(t.repo.split('/')[1]!));
  const page = <T>(items: T[], p: number, limit: number): Page<T> => ({ items: items.slice((p - 1) * limit, p * limit), total: items.length });
  const toHook = (body: HookBody, id: number, secret: string): FakeHook => ({
    id, type: body.type, config: { url: body.config.url, content_type: body.config.content_type },
    events: [...expandRequestedEvents(body.events)], branch_filter: body.branch_filter,
    authorization_header: body.authorization_header, active: body.active, secret,
  });

  const fake: FakeGitea = {
    repos: repoMap,
    hooks,
    calls,
    baseUrl: 'http://fake/api/v1',
    fail(method, key, err, times = 1) {
      failures.push({ method, key, err, times });
    },
    addHook(target, h) {
      const hook: FakeHook = {
        id: nextId++, type: 'gitea', config: { url: h.url, content_type: 'json' }, events: ['push'], branch_filter: '',
        authorization_header: '', active: true, secret: '', ...h,
      };
      delete (hook as { url?: string }).url;
      list(target).push(hook);
      return hook;
    },
    hooksOf: (t) => list(t),
    async version() {
      check('GET', 'version');
      return '1.25.4';
    },
    async listOwnerRepos(owner, kind, p, limit) {
      check('GET', `${kind}:${owner}`);
      const names = repoMap.get(owner);
      if (!names || (kind === 'org' && owner.startsWith('~'))) throw new GiteaError('not-found', `owner ${owner} not found`, 404);
      const items: GiteaRepo[] = names.map((n, i) => ({ id: i + 1, name: n, full_name: `${owner}/${n}` }));
      return page(items, p, limit);
    },
    async listHooks(t, p, limit) {
      check('GET', targetKey(t));
      if (!exists(t)) throw new GiteaError('not-found', `${targetKey(t)} not found`, 404);
      return page(list(t).map(({ secret: _s, ...h }) => ({ ...h, events: [...h.events].reverse() })), p, limit);
    },
    async createHook(t, body, secret: Secret) {
      check('POST', targetKey(t));
      const hook = toHook(body, nextId++, secret.reveal());
      list(t).push(hook);
      return hook;
    },
    async editHook(t, id, body) {
      check('PATCH', `${targetKey(t)}#${id}`);
      const arr = list(t);
      const i = arr.findIndex((h) => h.id === id);
      if (i < 0) throw new GiteaError('not-found', `hook #${id} not found`, 404);
      arr[i] = toHook(body, id, arr[i]!.secret);
      return arr[i]!;
    },
    async deleteHook(t, id) {
      check('DELETE', `${targetKey(t)}#${id}`);
      const arr = list(t);
      const i = arr.findIndex((h) => h.id === id);
      if (i < 0) return { existed: false };
      arr.splice(i, 1);
      return { existed: true };
    },
    async checkHookRights(t) {
      check('PATCH', `${targetKey(t)}#0`);
    },
    async testHook(repo, id) {
      check('POST', `repo:${repo}#${id}/tests`);
    },
    async listBranches(repo) {
      check('GET', `branches:${repo}`);
      return { items: [], total: 0 };
    },
    async listTags(repo) {
      check('GET', `tags:${repo}`);
      return { items: [], total: 0 };
    },
    async listReleases(repo) {
      check('GET', `releases:${repo}`);
      return { items: [], total: 0 };
    },
    async compare(repo) {
      check('GET', `compare:${repo}`);
      return { commits: [], total: 0 };
    },
    stats: () => ({ requests, retries: 0 }),
  };
  return fake;
}
