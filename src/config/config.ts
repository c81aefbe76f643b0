// The typed, frozen configuration the daemon runs on: monitor.yaml after schema + meaning checks,
// defaults applied, durations in ms, paths absolute (relative to the config file's folder),
// secrets resolved into `Secret`s. Built by `loadConfig` (config/load.ts); nothing else parses YAML.
import type { HookEvent } from './schema.types.ts';
import type { Secret } from '../secret.ts';

export type AnnouncedEvent = 'push' | 'create' | 'delete' | 'release';
export type TemplateName =
  | 'push' | 'branch_created' | 'branch_deleted' | 'tag_pushed' | 'tag_deleted' | 'release' | 'test' | 'digest' | 'catch_up';

export interface RepoRule {
  match: string;
  exclude: string[];
  /** Room names (keys of matrix.rooms). */
  notify: string[];
  /** Branch globs; ['*'] when not given. */
  branches: string[];
  /** Announced events; null = every supported event. */
  events: AnnouncedEvent[] | null;
  scope: 'repo' | 'org';
}

export interface TriggerConfig {
  name: string;
  url: string;
  events: AnnouncedEvent[];
  secret: Secret;
  includeIgnored: boolean;
  /** owner/name globs; empty = every watched repo. */
  repos: string[];
}

export interface Config {
  /** Absolute path of the file and its folder. */
  file: string;
  dir: string;
  /** sha256 hex of the file's bytes. */
  hash: string;
  gitea: { url: string; token: Secret; timeoutMs: number; concurrency: number };
  webhook: {
    publicUrl: string;
    secret: Secret;
    previousSecrets: Secret[];
    events: HookEvent[];
    branchFilter: string;
    contentType: 'json' | 'form';
  };
  server: {
    host: string; port: number; bodyLimit: number; drainTimeoutMs: number;
    /** Body bytes held over all connections; body and headers timeouts; open connections. */
    inflightBodyLimit: number; bodyTimeoutMs: number; headersTimeoutMs: number; maxConnections: number;
    /** Repos, rooms and errors in /webhook/health for every caller. */
    publicHealthDetails: boolean;
  };
  matrix: {
    homeserver: string;
    /** Null with a password login. */
    accessToken: Secret | null;
    login: { user: string; password: Secret } | null;
    displayName: string | null;
    /** mxc:// URI */
    avatarUrl: string | null;
    msgtype: 'm.notice' | 'm.text';
    /** name -> alias or room id */
    rooms: Record<string, string>;
    /** Room names whose entry says allow_unencrypted: true. */
    allowUnencrypted: string[];
    giveUpAfterMs: number;
    invitePollMs: number;
    /** Absolute store file and its passphrase; null: no end-to-end encryption. */
    cryptoStore: { file: string; passphrase: Secret } | null;
  };
  repos: RepoRule[];
  templates: Partial<Record<TemplateName, { text: string; html?: string }>>;
  rateLimit: { perRepoPerRoom: number; windowMs: number; tagGraceMs: number };
  ignore: { pushers: string[]; commitMarkers: string[] };
  /** `sqlite:/abs/path.db`, `sqlite::memory:` or a postgres:// URL. */
  runs: { database: string };
  state: { driver: 'fs' | 'redis' | 'memory'; base: string; url: string | null; prefix: string };
  reconcile: { intervalMs: number; prune: boolean; verifyWithinMs: number };
  triggers: TriggerConfig[];
  dashboard: { token: Secret | null; sessionLifetimeMs: number };
}

export const DEFAULTS = {
  invitePollMs: 30_000,
  giteaTimeoutMs: 10_000,
  giteaConcurrency: 8,
  events: ['push', 'create', 'delete', 'release'] as HookEvent[],
  listen: '0.0.0.0:8080',
  bodyLimit: 5 * 1024 * 1024,
  drainTimeoutMs: 10_000,
  inflightBodyLimit: 16 * 1024 * 1024,
  bodyTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  maxConnections: 256,
  msgtype: 'm.notice' as const,
  giveUpAfterMs: 3_600_000,
  perRepoPerRoom: 1,
  windowMs: 60_000,
  tagGraceMs: 5_000,
  database: 'sqlite:./data/monitor.db',
  stateDriver: 'fs' as const,
  stateBase: './data/state',
  statePrefix: 'monitor',
  reconcileIntervalMs: 300_000,
  sessionLifetimeMs: 12 * 3_600_000,
  verifyWithinMs: 300_000,
  triggerEvents: ['push'] as AnnouncedEvent[],
};
