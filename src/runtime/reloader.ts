// Hot reload, Prometheus-style: every trigger (a change in the config's folder or a referenced
// file's folder, SIGHUP, POST /-/reload, a 30 s re-hash) goes into one serialised reload. A reload
// happens only when the files' SHA-256 changed (or when forced), does every fallible step first —
// parse, validate, resolve secrets, compile templates and routes — and then swaps one reference.
// Any failure keeps the running config, logs FILE:LINE:COL and sets the metrics.
import { watch, type FSWatcher } from 'chokidar';
import { dirname } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/config.ts';
import { buildRuntime, type Runtime, type RuntimeRef } from './runtime.ts';
import { concernsConfig, contentHash, referencedFiles, watchedFolders } from './config-files.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';

export interface ReloadStatus {
  ok: boolean;
  at: string;
  error: string | null;
  hash: string;
}

export interface ReloaderOptions {
  file: string;
  runtime: RuntimeRef;
  logger: Logger;
  metrics: Metrics;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Called after a successful swap (e.g. trigger a reconcile, rebuild the Matrix port). */
  onSwap(next: Runtime, prev: Runtime): void;
  debounceMs?: number;
  rehashMs?: number;
}

export interface Reloader {
  /** Reload now; `force` reloads even when the files did not change (SIGHUP, POST /-/reload). */
  reload(reason: string, force?: boolean): Promise<ReloadStatus>;
  status(): ReloadStatus;
  stop(): Promise<void>;
}

/** Settings that only a restart applies; a reload that changes them warns and keeps the old value. */
function restartOnly(prev: Config, next: Config): string[] {
  const out: string[] = [];
  if (prev.server.host !== next.server.host || prev.server.port !== next.server.port) out.push('server.listen');
  if (prev.runs.database !== next.runs.database) out.push('runs.database');
  if (JSON.stringify(prev.state) !== JSON.stringify(next.state)) out.push('state');
  return out;
}

/** A config file that is itself a mount point (Kubernetes subPath) never sees ConfigMap updates. */
function warnSubPath(file: string, logger: Logger): void {
  const dir = dirname(file);
  if (existsSync(`${dir}/..data`)) return;
  try {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]);
    if (mounts.includes(file)) logger.warn('the config file is a single-file mount (Kubernetes subPath?): such mounts never update; mount the ConfigMap as a directory', { file });
  } catch {
    /* not Linux */
  }
}

export async function startReloader(o: ReloaderOptions): Promise<Reloader> {
  let files = await referencedFiles(o.file);
  let lastHash = (await contentHash(files)) ?? '';
  let status: ReloadStatus = { ok: true, at: new Date().toISOString(), error: null, hash: o.runtime.get().config.hash };
  o.metrics.reloadSuccessful.set(1);
  o.metrics.reloadSuccessTimestamp.set(Date.now() / 1000);
  warnSubPath(o.file, o.logger);

  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn, fn);
    chain = p.catch(() => undefined);
    return p;
  };

  const attempt = async (reason: string, force: boolean): Promise<ReloadStatus> => {
    const hash = await contentHash(files);
    if (hash === null) {
      o.logger.warn('config file is missing; keeping the running configuration', { file: o.file, reason });
      return status;
    }
    if (!force && hash === lastHash) return status;
    const prev = o.runtime.get();
    const fail = (error: string): ReloadStatus => {
      lastHash = hash;
      status = { ok: false, at: new Date().toISOString(), error, hash: prev.config.hash };
      o.metrics.reloadSuccessful.set(0);
      o.metrics.reloads.inc({ outcome: 'failure' });
      o.logger.error('config reload failed; keeping the running configuration', { reason, error });
      return status;
    };
    const loaded = await loadConfig(o.file, { env: o.env, cwd: o.cwd, resolveSecrets: true });
    if (!loaded.ok) return fail(loaded.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`).join('\n'));
    let next: Runtime;
    try {
      next = buildRuntime(loaded.config);
    } catch (e) {
      return fail(`${o.file}: ${(e as Error).message}`);
    }
    const fixed = restartOnly(prev.config, loaded.config);
    if (fixed.length) o.logger.warn('these settings change only on restart; the running values stay', { settings: fixed });
    o.runtime.swap(next);
    lastHash = hash;
    files = await referencedFiles(o.file);
    status = { ok: true, at: new Date().toISOString(), error: null, hash: loaded.config.hash };
    o.metrics.reloadSuccessful.set(1);
    o.metrics.reloadSuccessTimestamp.set(Date.now() / 1000);
    o.metrics.reloads.inc({ outcome: 'success' });
    o.logger.info('config reloaded', { reason, config_hash: loaded.config.hash });
    o.onSwap(next, prev);
    return status;
  };

  const reload = (reason: string, force = false) => serial(() => attempt(reason, force));
  let timer: NodeJS.Timeout | null = null;
  const onChange = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload('file change'), o.debounceMs ?? 150); // trailing edge
  };
  // The folders, not the files; only the config's own files count (config-files.ts).
  const watcher: FSWatcher = watch(watchedFolders(files), { depth: 0, ignoreInitial: true, followSymlinks: false, ignored: (path: string) => !concernsConfig(path, files) });
  watcher.on('all', onChange);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const rehash = setInterval(() => void reload('periodic re-hash'), o.rehashMs ?? 30_000).unref();
  // The file may have changed between the first load and the watch: compare with what was loaded.
  try {
    if (createHash('sha256').update(readFileSync(o.file)).digest('hex') !== o.runtime.get().config.hash) void reload('changed during start', true);
  } catch {
    /* missing: the next trigger warns */
  }

  return {
    reload,
    status: () => status,
    async stop() {
      clearInterval(rehash);
      if (timer) clearTimeout(timer);
      await watcher.close();
      await chain;
    },
  };
}
