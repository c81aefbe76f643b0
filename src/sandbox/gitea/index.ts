// A Gitea v1.25.4 stand-in for tests and `monitor demo`: the hooks REST API and webhook deliveries
// that match Gitea's contract byte for byte (see test/sandbox/gitea*.test.ts and the fixtures).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { H3 } from 'h3';
import { toNodeHandler } from 'h3';
import * as activity from './activity.ts';
import type { ActivityDeps, CommitsOption, ReleaseOptions } from './activity.ts';
import { createApiApp } from './api.ts';
import type { ApiCall, ApiDeps, FaultRule } from './api-route.ts';
import type { Delivery } from './deliver.ts';
import { createAgents } from './deliver.ts';
import { createDispatcher } from './dispatch.ts';
import type { StoredHook } from './hooks.ts';
import { repositoryTask } from './payloads.ts';
import { READ_ALL, type TokenScope } from './scopes.ts';
import type { CommitSpec } from './world.ts';
import { addCommits, commitSpecs, createWorld, findAccount, requireRepo, upsertAccount } from './world.ts';

export type { Delivery } from './deliver.ts';
export type { StoredHook } from './hooks.ts';
export type { CommitSpec } from './world.ts';
export type { ApiCall } from './api-route.ts';

export interface GiteaSandboxOptions {
  /** The main API token; its scope is `tokenScope`. */
  token: string;
  /** The scope of `token` as Gitea stores it (e.g. "write:repository,read:organization"). Default `all`. */
  tokenScope?: TokenScope;
  /** A token with every read scope and no write scope: GETs work, writes get 403 like a read-only PAT. */
  readOnlyToken?: string;
  /** More tokens of the same user, each with its scope. */
  tokens?: Record<string, TokenScope>;
  /** Login of the token's user (created as site admin). Default `gitea-admin`. */
  tokenUser?: string;
  /** `[webhook] DELIVER_TIMEOUT`, default 5000 ms. */
  deliverTimeoutMs?: number;
  now?: () => Date;
  /** ROOT_URL for payload and API links (with or without trailing slash). Default: the listening URL. */
  rootUrl?: string;
  /** Shuffles the `events` of Hook JSON (Go map order). Default Math.random. */
  random?: () => number;
}

export interface ProfileOptions { fullName?: string; email?: string }

export interface RepoOptions {
  defaultBranch?: string;
  private?: boolean;
  empty?: boolean;
  description?: string;
  /** Fixed repository id (the sequence continues after it). */
  id?: number;
  size?: number;
  /** The initial history of the default branch, oldest first (default: one initial commit). */
  history?: CommitSpec[];
}

export interface GiteaSandbox {
  app: H3;
  listen(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
  /** The listening URL (no trailing slash); ROOT_URL is this plus `/` unless `rootUrl` was given. */
  readonly url: string;
  addOrg(name: string, profile?: ProfileOptions): void;
  addUser(login: string, profile?: ProfileOptions): void;
  /** Creates the repo and queues `repository` (created) to the owner's hooks; the promise resolves when delivered. */
  addRepo(fullName: string, opts?: RepoOptions): Promise<Delivery[]>;
  push(repo: string, opts?: { branch?: string; commits?: CommitsOption; pusher?: string }): Promise<Delivery[]>;
  createBranch(repo: string, branch: string, opts?: { from?: string; commits?: CommitsOption; pusher?: string }): Promise<Delivery[]>;
  /** Force-pushes `branch` back to `to`, one of its ancestors (a push with no commits). */
  forcePush(repo: string, branch: string, to: string, opts?: { pusher?: string }): Promise<Delivery[]>;
  deleteBranch(repo: string, branch: string, opts?: { pusher?: string }): Promise<Delivery[]>;
  pushTag(repo: string, tag: string, opts?: { pusher?: string; target?: string; objectId?: string }): Promise<Delivery[]>;
  deleteTag(repo: string, tag: string, opts?: { pusher?: string }): Promise<Delivery[]>;
  publishRelease(repo: string, tag: string, opts?: ReleaseOptions): Promise<Delivery[]>;
  replay(deliveryUuid: string): Promise<Delivery>;
  readonly deliveries: Delivery[];
  branchHeads(repo: string): Record<string, string>;
  hooks(repo: string): StoredHook[];
  orgHooks(org: string): StoredHook[];
  readonly apiCalls: ApiCall[];
  failNext(method: string, path: RegExp, status: number, times?: number): void;
  setWebhooksDisabled(disabled: boolean): void;
  onDelivery(listener: (d: Delivery) => void): () => void;
  /** Resolves once every queued delivery (including API test deliveries) has been attempted. */
  idle(): Promise<void>;
}

const copyHooks = (hooks: Iterable<StoredHook>, type: StoredHook['targetType'], owner: string) =>
  [...hooks].filter((h) => h.targetType === type && h.owner.toLowerCase() === owner.toLowerCase()).sort((a, b) => a.id - b.id).map((h) => ({ ...h, events: [...h.events] }));

export function createGiteaSandbox(opts: GiteaSandboxOptions): GiteaSandbox {
  const world = createWorld(opts.now ?? (() => new Date()));
  const tokenLogin = opts.tokenUser ?? 'gitea-admin';
  upsertAccount(world, tokenLogin, false, { isAdmin: true });
  const agents = createAgents();
  const dispatcher = createDispatcher(world, { timeoutMs: opts.deliverTimeoutMs ?? 5000, agents });
  let listeningUrl = 'http://localhost:3000';
  const fixedRoot = opts.rootUrl === undefined ? undefined : opts.rootUrl.replace(/\/?$/, '/');
  const root = () => fixedRoot ?? `${listeningUrl}/`;
  const tokenUser = () => upsertAccount(world, tokenLogin, false);
  const faults: FaultRule[] = [];
  const apiCalls: ApiCall[] = [];
  const tokens = new Map<string, TokenScope>(Object.entries(opts.tokens ?? {}));
  if (opts.readOnlyToken !== undefined) tokens.set(opts.readOnlyToken, READ_ALL);
  tokens.set(opts.token, opts.tokenScope ?? 'all');
  const apiDeps: ApiDeps = { world, dispatcher, root, tokens, tokenUser, apiCalls, faults, random: opts.random ?? Math.random };
  const deps: ActivityDeps = { world, dispatcher, root, defaultPusher: tokenLogin };
  const app = createApiApp(apiDeps);

  return {
    app,
    get url() {
      return listeningUrl;
    },
    async listen(port = 0, host = '127.0.0.1') {
      const server = createServer(toNodeHandler(app));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      listeningUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      return {
        url: listeningUrl,
        close: async () => {
          agents.http.destroy();
          agents.https.destroy();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
    addOrg: (name, profile) => void upsertAccount(world, name, true, profile),
    addUser: (login, profile) => void upsertAccount(world, login, false, profile),
    addRepo(name, repoOpts = {}) {
      const [ownerLogin, repoName, extra] = name.split('/');
      if (!ownerLogin || !repoName || extra !== undefined) throw new Error(`gitea sandbox: repository name must be owner/name, got ${name}`);
      if (world.repos.has(name.toLowerCase())) throw new Error(`gitea sandbox: ${name} already exists`);
      const owner = findAccount(world, ownerLogin) ?? upsertAccount(world, ownerLogin, false);
      const id = repoOpts.id ?? world.seq.repo + 1;
      world.seq.repo = Math.max(world.seq.repo, id);
      const empty = repoOpts.empty ?? false;
      const created = world.now();
      const repo = {
        id, owner, name: repoName, description: repoOpts.description ?? '', private: repoOpts.private ?? false, empty,
        defaultBranch: repoOpts.defaultBranch ?? 'main', size: repoOpts.size ?? (empty ? 0 : 24), created, updated: created,
        branches: new Map<string, string>(), tags: new Map(), releases: [],
      };
      world.repos.set(name.toLowerCase(), repo);
      if (!empty) {
        const made = addCommits(world, repo, null, repoOpts.history ?? commitSpecs(1, 'Initial commit'), tokenUser());
        if (made[0]) repo.branches.set(repo.defaultBranch, made[0].id);
      }
      return dispatcher.fire(repo, [repositoryTask(root(), repo, tokenUser(), 'created')]);
    },
    push: (repo, o) => activity.push(deps, repo, o),
    createBranch: (repo, branch, o) => activity.createBranch(deps, repo, branch, o),
    forcePush: (repo, branch, to, o) => activity.forcePush(deps, repo, branch, to, o),
    deleteBranch: (repo, branch, o) => activity.deleteBranch(deps, repo, branch, o),
    pushTag: (repo, tag, o) => activity.pushTag(deps, repo, tag, o),
    deleteTag: (repo, tag, o) => activity.deleteTag(deps, repo, tag, o),
    publishRelease: (repo, tag, o) => activity.publishRelease(deps, repo, tag, o),
    replay: (uuid) => dispatcher.replay(uuid),
    get deliveries() {
      return dispatcher.deliveries;
    },
    branchHeads: (repo) => Object.fromEntries(requireRepo(world, repo).branches),
    hooks: (repo) => copyHooks(world.hooks.values(), 'repository', repo),
    orgHooks: (org) => copyHooks(world.hooks.values(), 'organization', org),
    get apiCalls() {
      return apiCalls;
    },
    failNext: (method, path, status, times = 1) => void faults.push({ method, path, status, remaining: times }),
    setWebhooksDisabled: (disabled) => {
      world.webhooksDisabled = disabled;
    },
    onDelivery: (listener) => dispatcher.onDelivery(listener),
    idle: () => dispatcher.idle(),
  };
}
