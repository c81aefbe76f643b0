// The Gitea REST client reconcile uses (ofetch): token auth, a timeout per call, retries with
// backoff on 429/5xx/network errors, a bound on calls in flight, and a count of every request
// (tests and the bench check "no more calls than repos + listing pages").
import { createFetch } from 'ofetch';
import type { Secret } from '../../secret.ts';
import type { Logger } from '../../log.ts';
import { DEFAULT_BACKOFF, decideRetry, type BackoffPolicy } from './backoff.ts';
import { GiteaError, errorForStatus, serverMessageOf, type CallContext } from './errors.ts';
import { createSemaphore } from './semaphore.ts';
import { networkCause } from '../../net/cause.ts';
import type { GiteaBranch, GiteaCommit, GiteaHook, GiteaRelease, GiteaRepo, GiteaTag, HookBody, HookTarget, Page } from './types.ts';

export interface GiteaClientOptions {
  /** Gitea's root URL (`gitea.url`); `/api/v1` is appended unless already there. */
  baseUrl: string;
  token: Secret;
  timeoutMs?: number;
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  fetch?: typeof globalThis.fetch;
  /** Attempts after the first (default 3). */
  retries?: number;
  backoff?: Partial<Omit<BackoffPolicy, 'retries'>>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  /** Aborts every request in flight and every backoff wait (daemon shutdown); calls then fail at once. */
  signal?: AbortSignal;
}

export interface GiteaClient {
  readonly baseUrl: string;
  version(): Promise<string>;
  /** One page of an owner's repositories: `/orgs/{owner}/repos` or `/users/{owner}/repos`. */
  listOwnerRepos(owner: string, kind: 'org' | 'user', page: number, limit: number): Promise<Page<GiteaRepo>>;
  listHooks(target: HookTarget, page: number, limit: number): Promise<Page<GiteaHook>>;
  /** The secret goes into `config.secret` here and nowhere else. */
  createHook(target: HookTarget, body: HookBody, secret: Secret): Promise<GiteaHook>;
  /** PATCH with the full body: Gitea resets omitted events, branch_filter and authorization_header. */
  editHook(target: HookTarget, id: number, body: HookBody): Promise<GiteaHook>;
  /** `existed: false` when Gitea answered 404: the hook is gone either way. */
  deleteHook(target: HookTarget, id: number): Promise<{ existed: boolean }>;
  /** Ask Gitea to send the hook a test push delivery (repo hooks only; 404 for an empty repo). */
  testHook(repo: string, id: number): Promise<void>;
  /**
   * May the token manage the target's hooks? PATCHes hook #0 with an empty body: Gitea checks the
   * token scope, then the user's rights, then looks for the hook, so 404 means yes; nothing changes
   * either way (ids start at 1). Throws the refusal (a missing scope names it).
   */
  checkHookRights(target: HookTarget): Promise<void>;
  listBranches(repo: string, page: number, limit: number): Promise<Page<GiteaBranch>>;
  listTags(repo: string, page: number, limit: number): Promise<Page<GiteaTag>>;
  listReleases(repo: string, page: number, limit: number): Promise<Page<GiteaRelease>>;
  /** The commits reachable from `head` and not from `base` (newest first) and their count. */
  compare(repo: string, base: string, head: string): Promise<{ commits: GiteaCommit[]; total: number }>;
  /** HTTP requests made (retries included) and how many of them were retries. */
  stats(): { requests: number; retries: number };
}

interface Answer<T> {
  data: T;
  total: number | null;
}

const seg = encodeURIComponent;
function repoPath(repo: string): string {
  const [owner, name] = repo.split('/');
  return `/repos/${seg(owner ?? '')}/${seg(name ?? '')}`;
}
function hooksPath(t: HookTarget): string {
  return t.kind === 'repo' ? `${repoPath(t.repo)}/hooks` : `/orgs/${seg(t.org)}/hooks`;
}

function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/api\/v1$/.test(trimmed) ? trimmed : `${trimmed}/api/v1`;
}

function isTimeout(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    if (e instanceof Error && (e.name === 'TimeoutError' || /aborted due to timeout/.test(e.message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Resolves with `p`, or as soon as `signal` aborts (the next attempt then fails at once). */
function abortable(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  return new Promise((resolve) => {
    const done = () => (signal.removeEventListener('abort', done), resolve());
    signal.addEventListener('abort', done, { once: true });
    void p.then(done, done);
  });
}

export function createGiteaClient(opts: GiteaClientOptions): GiteaClient {
  const root = apiRoot(opts.baseUrl);
  const origin = new URL(root).origin;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...opts.backoff, retries: opts.retries ?? DEFAULT_BACKOFF.retries };
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const semaphore = createSemaphore(opts.concurrency ?? 8);
  const $fetch = createFetch({ fetch: opts.fetch ?? globalThis.fetch, Headers: globalThis.Headers, AbortController: globalThis.AbortController });
  const log = opts.logger;
  let requests = 0;
  let retries = 0;

  // Belt and braces: no message we build contains the token, but a server could echo it back.
  const scrub = (text: string) => {
    const token = opts.token.reveal();
    return token.length >= 4 ? text.split(token).join('[redacted]') : text;
  };
  const fail = (err: GiteaError) => new GiteaError(err.kind, scrub(err.message), err.status, err.missingScopes);

  const aborted = (ctx: CallContext) => new GiteaError('aborted', `${ctx.method} ${ctx.path} to Gitea was cut short: shutting down`);

  async function once<T>(ctx: CallContext, query?: Record<string, unknown>, body?: unknown): Promise<{ answer?: Answer<T>; error?: GiteaError; retryAfter: number | null }> {
    if (opts.signal?.aborted) return { error: aborted(ctx), retryAfter: null };
    requests++;
    const started = Date.now();
    // The call's own timeout and the shutdown signal, without AbortSignal.timeout/any: their timer
    // fires (and builds a DOMException) even after the call is done, and every dependent signal
    // stays registered on the long-lived shutdown signal; this one is cleared when the call ends.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), timeoutMs);
    const onShutdown = () => abort.abort(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onShutdown, { once: true });
    try {
      const res = await $fetch.raw(root + ctx.path, {
        method: ctx.method,
        query,
        body: body as Record<string, unknown> | undefined,
        headers: { Authorization: `token ${opts.token.reveal()}`, Accept: 'application/json' },
        // ofetch ignores `timeout` when given a signal: the timeout is part of this one.
        signal: abort.signal,
        retry: false,
        ignoreResponseError: true,
      });
      log?.debug('gitea call', { method: ctx.method, path: ctx.path, status: res.status, ms: Date.now() - started });
      if (res.status >= 200 && res.status < 300) {
        const header = res.headers.get('x-total-count');
        const total = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
        return { answer: { data: res._data as T, total }, retryAfter: null };
      }
      const retryAfterHeader = res.headers.get('retry-after');
      const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader.trim()) ? Number(retryAfterHeader) : null;
      return { error: fail(errorForStatus(res.status, serverMessageOf(res._data), ctx)), retryAfter };
    } catch (err) {
      if (opts.signal?.aborted) return { error: aborted(ctx), retryAfter: null };
      if (isTimeout(err)) return { error: fail(new GiteaError('timeout', `Gitea did not answer ${ctx.method} ${ctx.path} within ${timeoutMs} ms (gitea.timeout)`)), retryAfter: null };
      return { error: fail(new GiteaError('network', `cannot reach Gitea at ${origin} (gitea.url): ${networkCause(err)}`)), retryAfter: null };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onShutdown);
    }
  }

  async function call<T>(ctx: CallContext, query?: Record<string, unknown>, body?: unknown): Promise<Answer<T>> {
    for (let attempt = 0; ; attempt++) {
      // The slot is held for one attempt only, so a call sleeping in backoff does not block others.
      const release = await semaphore.acquire();
      let outcome: Awaited<ReturnType<typeof once<T>>>;
      try {
        outcome = await once<T>(ctx, query, body);
      } finally {
        release();
      }
      if (outcome.answer) return outcome.answer;
      const err = outcome.error!;
      const decision = decideRetry(err, attempt, ctx.method, policy, random, outcome.retryAfter);
      if (!decision.retry) throw err;
      retries++;
      log?.warn('gitea call failed, retrying', { method: ctx.method, path: ctx.path, error: err.message, attempt: attempt + 1, after_ms: decision.afterMs });
      await abortable(sleep(decision.afterMs), opts.signal);
    }
  }

  const page = (p: number, limit: number) => ({ page: p, limit });
  const list = async <T>(ctx: CallContext, p: number, limit: number): Promise<Page<T>> => {
    const a = await call<T[]>(ctx, page(p, limit));
    if (!Array.isArray(a.data)) throw new GiteaError('unexpected', `Gitea answered ${ctx.method} ${ctx.path} with something that is not a list`);
    return { items: a.data, total: a.total };
  };

  return {
    baseUrl: root,
    async version() {
      const a = await call<{ version?: string }>({ method: 'GET', path: '/version' });
      return String(a.data?.version ?? '');
    },
    listOwnerRepos(owner, kind, p, limit) {
      return list<GiteaRepo>({ method: 'GET', path: `/${kind === 'org' ? 'orgs' : 'users'}/${seg(owner)}/repos`, owner }, p, limit);
    },
    listHooks(target, p, limit) {
      return list<GiteaHook>({ method: 'GET', path: hooksPath(target), target }, p, limit);
    },
    async createHook(target, body, secret) {
      const withSecret = { ...body, config: { ...body.config, secret: secret.reveal() } };
      return (await call<GiteaHook>({ method: 'POST', path: hooksPath(target), target }, undefined, withSecret)).data;
    },
    async editHook(target, id, body) {
      return (await call<GiteaHook>({ method: 'PATCH', path: `${hooksPath(target)}/${id}`, target, hookId: id }, undefined, body)).data;
    },
    async deleteHook(target, id) {
      try {
        await call<unknown>({ method: 'DELETE', path: `${hooksPath(target)}/${id}`, target, hookId: id });
        return { existed: true };
      } catch (err) {
        if (err instanceof GiteaError && err.kind === 'not-found') return { existed: false };
        throw err;
      }
    },
    async checkHookRights(target) {
      try {
        await call<unknown>({ method: 'PATCH', path: `${hooksPath(target)}/0`, target, hookId: 0 }, undefined, {});
      } catch (err) {
        if (err instanceof GiteaError && err.kind === 'not-found') return;
        throw err;
      }
    },
    async testHook(repo, id) {
      const target: HookTarget = { kind: 'repo', repo };
      await call<unknown>({ method: 'POST', path: `${hooksPath(target)}/${id}/tests`, target, hookId: id });
    },
    listBranches(repo, p, limit) {
      return list<GiteaBranch>({ method: 'GET', path: `${repoPath(repo)}/branches`, target: { kind: 'repo', repo } }, p, limit);
    },
    listTags(repo, p, limit) {
      return list<GiteaTag>({ method: 'GET', path: `${repoPath(repo)}/tags`, target: { kind: 'repo', repo } }, p, limit);
    },
    listReleases(repo, p, limit) {
      return list<GiteaRelease>({ method: 'GET', path: `${repoPath(repo)}/releases`, target: { kind: 'repo', repo } }, p, limit);
    },
    async compare(repo, base, head) {
      const a = await call<{ commits?: GiteaCommit[] | null; total_commits?: number }>({ method: 'GET', path: `${repoPath(repo)}/compare/${seg(base)}...${seg(head)}`, target: { kind: 'repo', repo } });
      const commits = Array.isArray(a.data?.commits) ? a.data.commits : [];
      return { commits, total: typeof a.data?.total_commits === 'number' ? a.data.total_commits : commits.length };
    },
    stats: () => ({ requests, retries }),
  };
}

/** The client for `gitea:` of monitor.yaml. */
export function giteaClientFor(gitea: { url: string; token: Secret; timeoutMs: number; concurrency: number }, logger?: Logger, signal?: AbortSignal): GiteaClient {
  return createGiteaClient({ baseUrl: gitea.url, token: gitea.token, timeoutMs: gitea.timeoutMs, concurrency: gitea.concurrency, ...(logger ? { logger } : {}), ...(signal ? { signal } : {}) });
}
