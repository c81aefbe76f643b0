// Wiring: one daemon = store + state + Matrix port + worker + per-room sender + digest release +
// HTTP app (+ reconcile loop when given). The only place that assembles the pipeline.
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import { createLogger } from '../log.ts';
import { buildRuntime, runtimeRef, type RuntimeRef } from './runtime.ts';
import { openStore } from '../adapters/store/open.ts';
import type { Store } from '../adapters/store/types.ts';
import { createStateStorage } from '../adapters/state/storage.ts';
import { createMatrixPort, delegatingPort, type MatrixPort } from '../adapters/matrix/client.ts';
import { storedSessions } from '../adapters/matrix/session.ts';
import { applyProfile } from './profile.ts';
import { createTriggerPort, type TriggerPort } from '../adapters/triggers/client.ts';
import { windowStore } from '../pipeline/windows.ts';
import { createSender, type Sender } from '../pipeline/sender.ts';
import { joinConfiguredRooms, type RoomStates } from './join-rooms.ts';
import { encryptionGuard } from '../pipeline/encryption-guard.ts';
import { startInvitePoller } from './invites.ts';
import { createReleaseScheduler } from './release-scheduler.ts';
import { toRoom, type Destination } from '../adapters/store/destination.ts';
import { startProcessingThread, type EarlyThread } from './processing-client.ts';
import { systemClock, type Clock } from '../clock.ts';
import { VERSION } from '../version.ts';
import { healthBody } from './health.ts';
import { repositoryClaimedBy } from '../pipeline/unverified.ts';
import { createWorker, type Worker } from './worker.ts';
import { FIRST_DELIVERY } from './catch-up.ts';
import { createMetrics, deliveryLabels, type Metrics } from './metrics.ts';
import { createApp, type HealthBody } from '../http/app.ts';
import { listen, type Listening } from '../http/server.ts';
import { createBodyBudget } from '../http/budget.ts';
import { webhookHandler } from '../http/webhook.ts';
import { errorResponse, jsonResponse } from '../http/errors.ts';
import { operatorAllowed } from '../http/admin-auth.ts';
import { startReloader, type Reloader } from './reloader.ts';
import { shutdownBudget, within } from './deadline.ts';
import { pgLease, soleLease, type Lease } from '../adapters/store/lease.ts';
import type { Storage } from 'unstorage';
import type { H3 } from 'h3';

/** What the daemon needs from the reconcile loop (src/reconcile). */
export interface HookSupervisor {
  trigger(reason: string, repo?: string): void;
  markVerified(repo: string): void;
  /** A delivery that failed verification names this repository in its (unverified) body. */
  markUnverified?(repo: string): void;
  repos(): HealthBody['repos'] | Promise<HealthBody['repos']>;
  /** A catch-up pass (while leading): all recorded repositories, or only `repos`. */
  catchUp?(reason: string, repos?: string[]): void;
  /** Called with true when this replica leads (reconcile, catch-up), false when it stops leading. */
  lead(active: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  config: Config;
  logger?: Logger;
  matrix?: MatrixPort;
  triggers?: TriggerPort;
  /** Wall clock, monotonic clock and timers for every part of the daemon (default: the system clock). */
  clock?: Clock;
  /** @deprecated use clock; kept for callers that only move the wall clock. */
  now?: () => number;
  /** Builds the reconcile loop once store/state exist; omitted = no reconcile (tests of the receive path). */
  hooks?: (ctx: { runtime: RuntimeRef; storage: Storage; store: Store; worker: Worker; logger: Logger; metrics: Metrics }) => HookSupervisor;
  mount?: (app: H3, ctx: DaemonContext) => void;
  listen?: { host: string; port: number };
  /** The SQLite processing thread, already started (by `monitor serve`, while this module loaded). */
  thread?: EarlyThread;
  /** Hot reload of the config file (watch + SIGHUP + POST /-/reload); omitted = the config is fixed. */
  reload?: { env: Record<string, string | undefined>; cwd: string; debounceMs?: number; rehashMs?: number };
}

export interface DaemonContext {
  runtime: RuntimeRef;
  store: Store;
  storage: Storage;
  metrics: Metrics;
  sender: Sender;
  worker: Worker;
  logger: Logger;
  health(): Promise<HealthBody>;
  reloader: Reloader | null;
  lease: Lease;
  /** The address the listener is bound to (loopback trust needs a loopback-only listener). */
  listenHost: string;
}

export interface Daemon extends DaemonContext {
  url: string;
  /** Wait until every stored delivery is processed and every room queue is empty or waiting. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export const DEDUPE_KEEP_MS = 7 * 86_400_000;

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const logger = opts.logger ?? createLogger();
  const clock = opts.clock ?? systemClock;
  const now = opts.now ?? (() => clock.now());
  const runtime = runtimeRef(buildRuntime(opts.config));
  const cfg = () => runtime.get().config;
  const storage = createStateStorage(opts.config.state);
  const metrics = createMetrics();
  const matrixFor = (c: Config) =>
    createMatrixPort({ homeserver: c.matrix.homeserver, accessToken: c.matrix.accessToken, login: c.matrix.login && { ...c.matrix.login, sessions: storedSessions(storage) } });
  let matrixPort = opts.matrix ?? matrixFor(opts.config);
  // Delegates to the current port: a reload that changes the homeserver or token swaps it.
  const matrix = delegatingPort(() => matrixPort);
  const roomStates: RoomStates = new Map();
  let phase: 'starting' | 'running' | 'draining' = 'starting';

  // The crypto (wasm, IndexedDB) is imported only when a configured room turns out encrypted.
  const guard = encryptionGuard(matrix, () => {
    const store = cfg().matrix.cryptoStore;
    return store && import('../adapters/matrix/crypto.ts').then((m) => m.openRoomCrypto({ matrix, file: store.file, passphrase: store.passphrase }));
  });
  // Rooms: resolve aliases and join now, so a wrong room shows up at start (each with its own
  // state); done while the rest starts, awaited before the daemon says it is ready.
  const joining = (async () => {
    await joinConfiguredRooms({ matrix, guard, rooms: cfg().matrix.rooms, allowUnencrypted: cfg().matrix.allowUnencrypted, states: roomStates, logger });
    await applyProfile(matrix, cfg().matrix, logger);
  })();
  joining.catch(() => undefined); // awaited below
  // SQLite: storage and processing run on their own thread (no statement, fsync or render on the
  // thread serving HTTP). Not with an injected clock: a fake clock cannot cross threads.
  const sqlite = opts.config.runs.database.startsWith('sqlite:') && !opts.clock && !opts.now;
  const proc = sqlite
    ? await startProcessingThread(opts.config.runs.database.slice('sqlite:'.length), opts.config, logger, {
      onProcessed: (r) => onProcessed(r),
      onParked: () => metrics.deliveriesParked.inc(),
      onRenderFallback: () => metrics.digestRenderFallbacks.inc(),
    }, opts.thread)
    : null;
  if (!proc) await opts.thread?.store.close();
  if (proc) metrics.threadHeap(() => proc.store.heap());
  const store = proc?.store ?? (await openStore(opts.config.runs.database));
  const windows = windowStore(store);
  // Several replicas share PostgreSQL: one of them leads (processes, sends, reconciles); all receive.
  const multi = opts.config.runs.database.startsWith('postgres');
  const lease: Lease = multi ? await pgLease(opts.config.runs.database, logger) : soleLease();
  const leads = () => lease.isLeader();
  const sender = createSender({
    store, matrix, runtime, logger, guard, clock: opts.now ? { ...clock, now } : clock, triggers: opts.triggers ?? createTriggerPort(), active: leads,
    onSent: (n, sentAt) => {
      if (n.kind === 'trigger') return;
      metrics.notices.inc({ kind: n.kind });
      metrics.noticeLatency.observe(Math.max(0, sentAt - n.createdAt) / 1000);
    },
    onRetry: () => metrics.sendRetries.inc(),
    onFailed: () => metrics.sendFailures.inc(),
    onRoomState: (room, state, detail) => roomStates.set(room, { state, detail }),
  });
  const releases = createReleaseScheduler({ store, windows, runtime, now, clock, logger, active: leads, onRooms: (rooms) => rooms.forEach((r) => sender.kick(toRoom(r))),
    onRenderFallback: () => metrics.digestRenderFallbacks.inc(), release: proc ? () => proc.release(now()) : undefined });
  const release = () => releases.run();
  const baselined = new Set<string>();
  let refused = false;
  function onProcessed(r: { repo: string; pending: Destination[]; holdUntil: number[] }): void {
    // Catch-up tells what is new after downtime against a baseline of each repository's refs:
    // a repository's first delivery in this process makes sure it has one.
    if (!baselined.has(r.repo)) (baselined.add(r.repo), hooks?.catchUp?.(FIRST_DELIVERY, [r.repo]));
    r.pending.forEach((dest) => sender.kick(dest));
    r.holdUntil.forEach((at) => releases.schedule(at));
  }
  const worker = proc?.worker ?? createWorker({ runtime, store, windows, now, clock, logger, active: leads, onParked: () => metrics.deliveriesParked.inc(), onProcessed });
  // Safety net: release due digests and pick up notices queued by another process (`monitor retry`).
  const safety = clock.setInterval(() => (void release(), sender.kick()), 1000).unref();
  // Delivery bodies are kept 7 days (Gitea keeps its delivery history 168 h); their dedupe keys stay
  // as long as their runs, so a replay — however late — is recognised.
  const prune = async () => {
    if (!leads()) return;
    try {
      const n = await store.pruneDeliveries(now() - DEDUPE_KEEP_MS);
      if (n) logger.info('pruned delivery bodies older than 7 days', { deliveries: n });
    } catch (e) {
      logger.warn('prune failed', { error: e });
    }
  };
  const pruneTimer = clock.setInterval(() => void prune(), 3_600_000).unref();
  // The leader also picks up deliveries that the other replicas stored.
  const poll = multi ? clock.setInterval(() => worker.wake(), 250).unref() : null;
  const hooks = opts.hooks?.({ runtime, storage, store, worker, logger, metrics });

  const health = (): Promise<HealthBody> =>
    healthBody({ runtime, phase: () => phase, leads, hooks, roomStates, reloader: () => ctx.reloader });
  const ctx: DaemonContext = { runtime, store, storage, metrics, sender, worker, logger, health, reloader: null, lease, listenHost: '' };
  const where = opts.listen ?? { host: opts.config.server.host, port: opts.config.server.port };
  ctx.listenHost = where.host;
  const receive = webhookHandler({
    runtime, store, logger, now,
    bodyLimit: () => cfg().server.bodyLimit,
    bodyTimeoutMs: () => cfg().server.bodyTimeoutMs,
    budget: createBodyBudget(() => cfg().server.inflightBodyLimit),
    draining: () => phase === 'draining',
    // The SQLite thread processes a delivery in the commit that stores it; another store wakes the worker.
    onAccepted: proc ? undefined : () => worker.wake(),
    onVerified: (repo) => hooks?.markVerified(repo),
    onUnverified: (signed) => {
      const repo = hooks?.markUnverified ? repositoryClaimedBy(signed) : null;
      if (repo) hooks!.markUnverified!(repo);
    },
    onRepositoryEvent: (repo) => hooks?.trigger('repository event', repo),
    onOutcome: (o, event) => {
      metrics.deliveries.inc(deliveryLabels(o, event));
      // Gitea never re-sends what we refused: once deliveries are stored again, catch up.
      if (o.kind === 'store_failed' || o.kind === 'draining') refused = true;
      else if (refused && o.kind === 'accepted') (refused = false, hooks?.catchUp?.('deliveries were refused'));
    },
  });
  const app = createApp({
    webhook: receive,
    health,
    storesReachable: async () => {
      try {
        await Promise.race([store.ping(), new Promise((_, rej) => setTimeout(() => rej(new Error('timed out after 2 s')), 2000).unref())]);
        return null;
      } catch (e) {
        return `runs.database does not answer: ${(e as Error).message}`;
      }
    },
    metrics: metrics.registry,
    healthDetails: (event) => cfg().server.publicHealthDetails || operatorAllowed(event, cfg().dashboard.token, ctx.listenHost, false).ok,
    mount: (a) => {
      a.post('/-/reload', async (event) => {
        const allowed = operatorAllowed(event, cfg().dashboard.token, where.host);
        if (!allowed.ok) return errorResponse(cfg().dashboard.token ? 'unauthorized' : 'forbidden', allowed.detail);
        if (!ctx.reloader) return errorResponse('not_found', 'hot reload is not enabled');
        const r = await ctx.reloader.reload('POST /-/reload', true);
        return jsonResponse(r.ok ? 200 : 400, r.ok ? { reloaded: true, config_hash: r.hash } : { error: 'invalid_config', detail: r.error });
      });
      opts.mount?.(a, ctx);
    },
  });
  const { headersTimeoutMs, bodyTimeoutMs, maxConnections } = opts.config.server;
  const http: Listening = await listen(app, where.host, where.port, { headersTimeoutMs, bodyTimeoutMs, maxConnections }, {
    // The webhook route on node:http itself (no web Request/Response per delivery); the rest through h3.
    routes: { 'POST /webhook/gitea': receive },
    onError: (e, req) => logger.error('the webhook route failed', { error: e, delivery_id: req.headers['x-gitea-delivery'] ?? null }),
  });
  logger.info('listening', { url: http.url, version: VERSION, config: opts.config.file, config_hash: opts.config.hash });

  await joining;
  // Rooms that refuse the join wait for an invite; accepting it sends their held notices.
  const invites = startInvitePoller({
    matrix, logger, clock, active: leads,
    waiting: () => Object.entries(cfg().matrix.rooms).filter(([room]) => roomStates.get(room)?.state === 'not_joined'),
    onJoined: (room, roomId) => (roomStates.set(room, { state: 'joined', detail: roomId }), sender.roomJoined(room, roomId)),
    intervalMs: () => cfg().matrix.invitePollMs,
  });
  if (opts.reload) {
    ctx.reloader = await startReloader({
      file: opts.config.file, runtime, logger, metrics, env: opts.reload.env, cwd: opts.reload.cwd,
      debounceMs: opts.reload.debounceMs, rehashMs: opts.reload.rehashMs,
      onSwap: (next, prev) => {
        const m = (c: Config) => JSON.stringify([c.matrix.homeserver, c.matrix.accessToken?.reveal(), c.matrix.login?.user, c.matrix.login?.password.reveal()]);
        if (!opts.matrix && m(next.config) !== m(prev.config)) matrixPort = matrixFor(next.config);
        void applyProfile(matrix, next.config.matrix, logger);
        proc?.swapConfig(next.config);
        sender.forgetRooms();
        guard.forget();
        sender.kick();
        hooks?.trigger('config reload');
      },
    });
  }
  const onLead = (l: boolean) => {
    windows.forget();
    proc?.lead(l);
    void hooks?.lead(l);
    if (l) (worker.wake(), sender.kick(), void release(), void prune());
  };
  lease.onChange(onLead);
  onLead(leads());
  phase = 'running';
  logger.info('ready', { url: http.url });

  const depthTimer = clock.setInterval(async () => {
    try {
      const depth = await store.queueDepth();
      metrics.queueDepth.reset();
      for (const [room, n] of Object.entries(depth)) metrics.queueDepth.set({ room }, n);
    } catch {
      /* store closed during shutdown */
    }
  }, 2000).unref();

  return {
    ...ctx,
    url: http.url,
    async settle() {
      await worker.idle();
      await sender.idle();
    },
    async stop() {
      phase = 'draining';
      const deadline = cfg().server.drainTimeoutMs;
      logger.info('draining', { timeout_ms: deadline });
      // Every step shares the drain budget; closing the stores gets at least a second of its own.
      const budget = shutdownBudget(deadline, logger);
      clock.clearInterval(safety);
      clock.clearInterval(pruneTimer);
      clock.clearInterval(poll);
      clock.clearInterval(depthTimer);
      releases.stop();
      invites.stop();
      await budget.step('reload watcher', () => ctx.reloader?.stop());
      await budget.step('reconcile', () => hooks?.stop());
      await within(worker.idle(), budget.left());
      await budget.step('worker', () => worker.stop());
      await sender.stop(budget.left());
      await budget.step('close', async () => {
        await guard.close();
        await http.close();
        await lease.stop();
        await store.close();
        await storage.dispose();
      }, 1000);
      logger.info('stopped');
    },
  };
}
