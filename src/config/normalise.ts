// Checked file data -> the frozen Config the daemon runs on: defaults filled in, durations in ms,
// sizes in bytes, paths absolute (relative to the config file's folder), secrets as Secret.
import { isAbsolute, resolve } from 'node:path';
import { parseDuration, parseSize } from '../duration.ts';
import type { Secret } from '../secret.ts';
import { DEFAULTS, type Config, type TemplateName } from './config.ts';
import type { Path } from './path.ts';
import type { MonitorConfig } from './schema.types.ts';

export interface NormaliseContext {
  file: string;
  dir: string;
  hash: string;
  /** The resolved secret of the source at `path` (see secretSources). */
  secret(path: Path): Secret;
}

export function normalise(raw: MonitorConfig, ctx: NormaliseContext): Config {
  const { host, port } = splitListen(raw.server?.listen ?? DEFAULTS.listen);
  const state = raw.state ?? {};
  const config: Config = {
    file: ctx.file,
    dir: ctx.dir,
    hash: ctx.hash,
    gitea: {
      url: trimSlash(raw.gitea.url),
      token: ctx.secret(['gitea', 'token']),
      timeoutMs: ms(raw.gitea.timeout, DEFAULTS.giteaTimeoutMs),
      concurrency: raw.gitea.concurrency ?? DEFAULTS.giteaConcurrency,
    },
    webhook: {
      publicUrl: raw.webhook.public_url,
      secret: ctx.secret(['webhook', 'secret']),
      previousSecrets: (raw.webhook.previous_secrets ?? []).map((_, i) => ctx.secret(['webhook', 'previous_secrets', i])),
      events: [...(raw.webhook.events ?? DEFAULTS.events)],
      branchFilter: raw.webhook.branch_filter ?? '',
      contentType: raw.webhook.content_type ?? 'json',
    },
    server: {
      host,
      port,
      bodyLimit: size(raw.server?.body_limit, DEFAULTS.bodyLimit),
      drainTimeoutMs: ms(raw.server?.drain_timeout, DEFAULTS.drainTimeoutMs),
      inflightBodyLimit: size(raw.server?.inflight_body_limit, DEFAULTS.inflightBodyLimit),
      bodyTimeoutMs: ms(raw.server?.body_timeout, DEFAULTS.bodyTimeoutMs),
      headersTimeoutMs: ms(raw.server?.headers_timeout, DEFAULTS.headersTimeoutMs),
      maxConnections: raw.server?.max_connections ?? DEFAULTS.maxConnections,
      publicHealthDetails: raw.server?.public_health_details ?? false,
    },
    matrix: {
      homeserver: trimSlash(raw.matrix.homeserver),
      accessToken: raw.matrix.access_token ? ctx.secret(['matrix', 'access_token']) : null,
      login: raw.matrix.user && raw.matrix.password ? { user: raw.matrix.user, password: ctx.secret(['matrix', 'password']) } : null,
      displayName: raw.matrix.display_name ?? null,
      avatarUrl: raw.matrix.avatar_url ?? null,
      msgtype: raw.matrix.msgtype ?? DEFAULTS.msgtype,
      rooms: roomTargets(raw.matrix.rooms),
      allowUnencrypted: Object.entries(raw.matrix.rooms).flatMap(([name, r]) => (typeof r === 'object' && r?.allow_unencrypted ? [name] : [])),
      giveUpAfterMs: ms(raw.matrix.give_up_after, DEFAULTS.giveUpAfterMs),
      invitePollMs: ms(raw.matrix.invite_poll, DEFAULTS.invitePollMs),
      cryptoStore: raw.matrix.crypto_store
        ? { file: resolve(ctx.dir, raw.matrix.crypto_store.path ?? './data/crypto-store'), passphrase: ctx.secret(['matrix', 'crypto_store', 'passphrase']) }
        : null,
    },
    repos: raw.repos.map((r) => ({
      match: r.match,
      exclude: [...(r.exclude ?? [])],
      notify: [...r.notify],
      branches: [...(r.branches ?? ['*'])],
      events: r.events ? [...r.events] : null,
      scope: r.scope ?? 'repo',
    })),
    templates: templates(raw.templates),
    rateLimit: {
      perRepoPerRoom: raw.rate_limit?.per_repo_per_room ?? DEFAULTS.perRepoPerRoom,
      windowMs: ms(raw.rate_limit?.window, DEFAULTS.windowMs),
      tagGraceMs: ms(raw.rate_limit?.tag_grace, DEFAULTS.tagGraceMs),
    },
    ignore: { pushers: [...(raw.ignore?.pushers ?? [])], commitMarkers: [...(raw.ignore?.commit_markers ?? [])] },
    runs: { database: database(plainOrSecret(raw.runs?.database, ['runs', 'database'], ctx) ?? DEFAULTS.database, ctx.dir) },
    state: {
      driver: state.driver ?? DEFAULTS.stateDriver,
      base: resolve(ctx.dir, state.base ?? DEFAULTS.stateBase),
      url: plainOrSecret(state.url, ['state', 'url'], ctx) ?? null,
      prefix: state.prefix ?? DEFAULTS.statePrefix,
    },
    reconcile: {
      intervalMs: ms(raw.reconcile?.interval, DEFAULTS.reconcileIntervalMs),
      prune: raw.reconcile?.prune ?? true,
      verifyWithinMs: ms(raw.reconcile?.verify_within, DEFAULTS.verifyWithinMs),
    },
    triggers: (raw.triggers ?? []).map((t, i) => ({
      name: t.name,
      url: t.url,
      events: [...(t.events ?? DEFAULTS.triggerEvents)],
      secret: ctx.secret(['triggers', i, 'secret']),
      includeIgnored: t.include_ignored ?? false,
      repos: [...(t.repos ?? [])],
    })),
    dashboard: { token: raw.dashboard?.auth ? ctx.secret(['dashboard', 'auth', 'token']) : null, sessionLifetimeMs: ms(raw.dashboard?.auth?.session_lifetime, DEFAULTS.sessionLifetimeMs) },
  };
  return deepFreeze(config);
}

/** A setting given as a plain string or as a secret source (whose resolved value is used). */
function plainOrSecret(value: string | object | undefined, path: Path, ctx: NormaliseContext): string | undefined {
  return typeof value === 'object' ? ctx.secret(path).reveal() : value;
}

function ms(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : parseDuration(text);
}

function size(value: string | number | undefined, fallback: number): number {
  return value === undefined ? fallback : typeof value === 'number' ? value : parseSize(value);
}

/** Base URLs are joined with API paths later; one form (no trailing slash) avoids `//api`. */
function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `host:port`, IPv6 in brackets (`[::1]:8080`); the host comes back without brackets, as listen() wants it. */
export function splitListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  const host = listen.slice(0, at);
  return { host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host, port: Number(listen.slice(at + 1)) };
}

/** `sqlite:./x.db` -> `sqlite:/abs/x.db` (relative to the config's folder); memory and URLs unchanged. */
function database(url: string, dir: string): string {
  if (!url.startsWith('sqlite:')) return url;
  const path = url.slice('sqlite:'.length);
  if (path === ':memory:' || isAbsolute(path)) return url;
  return `sqlite:${resolve(dir, path)}`;
}

function templates(raw: MonitorConfig['templates']): Config['templates'] {
  const out: Config['templates'] = {};
  for (const [name, t] of Object.entries(raw ?? {})) {
    if (!t) continue;
    out[name as TemplateName] = t.html === undefined ? { text: t.text } : { text: t.text, html: t.html };
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** name -> alias or room id, from either form of a matrix.rooms entry (the meaning check requires one of them). */
function roomTargets(rooms: MonitorConfig['matrix']['rooms']): Record<string, string> {
  return Object.fromEntries(Object.entries(rooms).map(([name, r]) => [name, typeof r === 'string' ? r : (r?.alias ?? r?.id ?? '')]));
}
