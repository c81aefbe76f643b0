/* Generated from schema/monitor.schema.json by `npm run gen:types`. Do not edit. */

/**
 * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
 */
export type SecretSource =
  | {
      /**
       * Environment variable holding the secret.
       */
      env: string;
    }
  | {
      /**
       * Path in the pass store; the first line of `pass show` is used.
       */
      pass: string;
    }
  | {
      /**
       * File holding the secret (relative to this file); one trailing newline is dropped.
       */
      file: string;
    };
/**
 * A Gitea webhook event.
 */
export type HookEvent =
  | 'push'
  | 'create'
  | 'delete'
  | 'release'
  | 'repository'
  | 'fork'
  | 'wiki'
  | 'issues'
  | 'issue_comment'
  | 'pull_request'
  | 'package'
  | 'status'
  | 'workflow_run'
  | 'workflow_job';
/**
 * Letters, digits, _, . and -; not starting with . or -.
 */
export type Name = string;

/**
 * monitor.yaml: the one configuration file of gitea-releases-monitor.
 */
export interface MonitorConfig {
  /**
   * Format version of this file; always 1.
   */
  version: 1;
  /**
   * The Gitea or Forgejo instance whose repositories are watched.
   */
  gitea: {
    /**
     * Base URL of Gitea, e.g. https://git.example.com.
     */
    url: string;
    /**
     * API token with the scopes write:repository (repository hooks, and listing a user's repositories) and read:organization (listing an organisation's repositories); write:organization instead of read:organization for `scope: org`. Checked at start: a missing scope is named in the log and in health.
     */
    token:
      | {
          /**
           * Environment variable holding the secret.
           */
          env: string;
        }
      | {
          /**
           * Path in the pass store; the first line of `pass show` is used.
           */
          pass: string;
        }
      | {
          /**
           * File holding the secret (relative to this file); one trailing newline is dropped.
           */
          file: string;
        };
    /**
     * Timeout of one Gitea API call.
     */
    timeout?: string;
    /**
     * Gitea API calls in flight at once.
     */
    concurrency?: number;
  };
  /**
   * The hook this daemon installs on Gitea and receives.
   */
  webhook: {
    /**
     * The URL Gitea is told to call; must end in /webhook/gitea.
     */
    public_url: string;
    /**
     * HMAC secret Gitea signs each delivery with.
     */
    secret:
      | {
          /**
           * Environment variable holding the secret.
           */
          env: string;
        }
      | {
          /**
           * Path in the pass store; the first line of `pass show` is used.
           */
          pass: string;
        }
      | {
          /**
           * File holding the secret (relative to this file); one trailing newline is dropped.
           */
          file: string;
        };
    /**
     * Secrets still accepted while a rotation rolls out.
     */
    previous_secrets?: SecretSource[];
    /**
     * Events the hook subscribes to.
     *
     * @minItems 1
     */
    events?: [HookEvent, ...HookEvent[]];
    /**
     * Gitea branch_filter glob of the hook; empty: every branch and tag.
     */
    branch_filter?: string;
    /**
     * Content type Gitea sends.
     */
    content_type?: 'json' | 'form';
  };
  /**
   * The HTTP listener.
   */
  server?: {
    /**
     * host:port to listen on; IPv6 in brackets ([::]:8080).
     */
    listen?: string;
    /**
     * Largest accepted delivery body.
     */
    body_limit?: string | number;
    /**
     * How long SIGTERM waits for in-flight work.
     */
    drain_timeout?: string;
    /**
     * Request bodies held in memory at once, over all connections; past it a delivery gets 503 with Retry-After (one body is always admitted when none is in flight).
     */
    inflight_body_limit?: string | number;
    /**
     * Time a client has to send the whole body once its headers are in; then 408.
     */
    body_timeout?: string;
    /**
     * Time a client has to send the request headers; then 408. Read at start.
     */
    headers_timeout?: string;
    /**
     * Open connections at once; more are closed at once. Read at start.
     */
    max_connections?: number;
    /**
     * Show repos, rooms and errors in /webhook/health to every caller. Off: only the dashboard token (bearer) or, without dashboard.auth, a loopback peer sees them; everyone else gets status and version.
     */
    public_health_details?: boolean;
  };
  /**
   * The homeserver and the rooms notices go to. The bot signs in with access_token, or with user + password.
   */
  matrix: {
    /**
     * Client-server API base URL of the homeserver.
     */
    homeserver: string;
    /**
     * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
     */
    access_token?:
      | {
          /**
           * Environment variable holding the secret.
           */
          env: string;
        }
      | {
          /**
           * Path in the pass store; the first line of `pass show` is used.
           */
          pass: string;
        }
      | {
          /**
           * File holding the secret (relative to this file); one trailing newline is dropped.
           */
          file: string;
        };
    /**
     * Bot user for a password login (@bot:server or the localpart); instead of access_token.
     */
    user?: string;
    /**
     * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
     */
    password?:
      | {
          /**
           * Environment variable holding the secret.
           */
          env: string;
        }
      | {
          /**
           * Path in the pass store; the first line of `pass show` is used.
           */
          pass: string;
        }
      | {
          /**
           * File holding the secret (relative to this file); one trailing newline is dropped.
           */
          file: string;
        };
    /**
     * The bot's display name, set at start and on reload when it differs.
     */
    display_name?: string;
    /**
     * The bot's avatar as an mxc:// URI (upload the image once with any client), set at start and on reload when it differs.
     */
    avatar_url?: string;
    /**
     * Message type of notices; m.notice never pings.
     */
    msgtype?: 'm.notice' | 'm.text';
    /**
     * Named rooms: name -> alias or room id (or {alias | id, allow_unencrypted}). Nothing is ever sent in plaintext to an encrypted room unless its allow_unencrypted is true.
     */
    rooms: {
      /**
       * Room alias (#name:server) or room id (!id), or {alias | id, allow_unencrypted}.
       */
      [k: string]:
        | string
        | {
            /**
             * Room alias (#name:server).
             */
            alias?: string;
            /**
             * Room id (!id).
             */
            id?: string;
            /**
             * Send plaintext notices into this room even when it is end-to-end encrypted and encryption is not available (never by default).
             */
            allow_unencrypted?: boolean;
          }
        | undefined;
    };
    /**
     * A notice that could not be sent for this long is marked failed.
     */
    give_up_after?: string;
    /**
     * End-to-end encryption for encrypted rooms: where the bot's device keys are kept (a store encrypted with the passphrase). Without it, encrypted rooms get nothing (see allow_unencrypted).
     */
    crypto_store?: {
      /**
       * Store file, relative to this file.
       */
      path?: string;
      /**
       * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
       */
      passphrase:
        | {
            /**
             * Environment variable holding the secret.
             */
            env: string;
          }
        | {
            /**
             * Path in the pass store; the first line of `pass show` is used.
             */
            pass: string;
          }
        | {
            /**
             * File holding the secret (relative to this file); one trailing newline is dropped.
             */
            file: string;
          };
    };
    /**
     * While a room refuses the join, how often pending invites are looked for (a /sync filtered to invites) and accepted.
     */
    invite_poll?: string;
  };
  /**
   * Which repositories are watched and where their notices go.
   *
   * @minItems 1
   */
  repos: [RepoRule, ...RepoRule[]];
  /**
   * Liquid templates overriding the built-in wording, one per notice kind: push, branch_created, branch_deleted, tag_pushed, tag_deleted, release, test (Gitea's test delivery), digest (pushes merged by the rate limit), catch_up (pushes found after downtime).
   */
  templates?: {
    push?: Template;
    branch_created?: Template;
    branch_deleted?: Template;
    tag_pushed?: Template;
    tag_deleted?: Template;
    release?: Template;
    test?: Template;
    digest?: Template;
    catch_up?: Template;
  };
  /**
   * No flood: excess notices are merged into one digest, never dropped.
   */
  rate_limit?: {
    /**
     * Notices per window per repo per room.
     */
    per_repo_per_room?: number;
    /**
     * Window length.
     */
    window?: string;
    /**
     * A pushed tag's notice waits this long: when its release is published meanwhile (a release created in the UI with a new tag), the one release notice replaces it. 0s posts tags at once.
     */
    tag_grace?: string;
  };
  /**
   * Loop protection: matching pushes are recorded as skipped, not announced.
   */
  ignore?: {
    /**
     * Gitea logins whose pushes are not announced.
     */
    pushers?: string[];
    /**
     * A push whose head commit message contains one of these is not announced.
     */
    commit_markers?: string[];
  };
  /**
   * Where runs, deliveries and the outbox are recorded.
   */
  runs?: {
    /**
     * sqlite:PATH (relative to this file) or postgres://... (several replicas); or a secret source holding it, so a password never sits in this file.
     */
    database?: string | SecretSource;
  };
  /**
   * unstorage driver for what reconcile remembers about the hooks it created (ids, secret fingerprints) and the hook state health shows. The rate-limit windows are not here since issue 13: they are in `runs.database`, written in the transaction that decides them, so after a crash or power cut they always match the outbox (windows kept here by an earlier version are not carried over: a lost window costs at most one notice sent instead of held). The replica lease is not here either: it is a PostgreSQL advisory lock (runs.database).
   */
  state?: {
    /**
     * fs, redis (several replicas) or memory (tests).
     */
    driver?: 'fs' | 'redis' | 'memory';
    /**
     * Folder of the fs driver, relative to this file.
     */
    base?: string;
    /**
     * redis:// URL, or a secret source holding it (for a password); required with driver redis.
     */
    url?: string | SecretSource;
    /**
     * Key prefix.
     */
    prefix?: string;
  };
  /**
   * How the daemon keeps the hooks on Gitea matching this file.
   */
  reconcile?: {
    /**
     * Time between reconcile passes.
     */
    interval?: string;
    /**
     * Delete our hooks on repos no longer declared.
     */
    prune?: boolean;
    /**
     * A hook that has delivered nothing verifiable this long after it was installed (reconcile asks Gitea for a test delivery from each repository hook) turns `error` in health, and health `degraded`.
     */
    verify_within?: string;
  };
  /**
   * Downstream systems that get a signed HTTP POST for every recorded run.
   */
  triggers?: Trigger[];
  /**
   * The /ui/ dashboard; without auth it answers only on loopback.
   */
  dashboard?: {
    /**
     * Require a token for /ui/ (bearer or ?token= once, then a cookie).
     */
    auth?: {
      /**
       * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
       */
      token:
        | {
            /**
             * Environment variable holding the secret.
             */
            env: string;
          }
        | {
            /**
             * Path in the pass store; the first line of `pass show` is used.
             */
            pass: string;
          }
        | {
            /**
             * File holding the secret (relative to this file); one trailing newline is dropped.
             */
            file: string;
          };
      /**
       * How long the session cookie that ?token= is traded for lasts; after it the link (or a bearer token) is needed again.
       */
      session_lifetime?: string;
    };
  };
}
/**
 * A group of repositories and the rooms their notices go to.
 */
export interface RepoRule {
  /**
   * owner/name glob, e.g. dataforge/*. The owner is a plain name (no glob): one rule per owner.
   */
  match: string;
  /**
   * owner/name globs left out.
   */
  exclude?: string[];
  /**
   * Room names from matrix.rooms.
   *
   * @minItems 1
   */
  notify: [Name, ...Name[]];
  /**
   * Branch globs whose pushes are announced.
   */
  branches?: string[];
  /**
   * Events announced; default: every event the hook receives.
   */
  events?: ('push' | 'create' | 'delete' | 'release')[];
  /**
   * repo: one hook per repository; org: one org hook for the owner.
   */
  scope?: 'repo' | 'org';
}
/**
 * A Liquid template: text required, html optional.
 */
export interface Template {
  /**
   * Liquid template of the plain-text body.
   */
  text: string;
  /**
   * Liquid template of the HTML body; every {{ }} output is HTML-escaped.
   */
  html?: string;
}
/**
 * A downstream system called for every recorded run.
 */
export interface Trigger {
  /**
   * Letters, digits, _, . and -; not starting with . or -.
   */
  name: string;
  /**
   * Where the signed POST goes.
   */
  url: string;
  /**
   * Events that fire it.
   */
  events?: ('push' | 'create' | 'delete' | 'release')[];
  /**
   * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
   */
  secret:
    | {
        /**
         * Environment variable holding the secret.
         */
        env: string;
      }
    | {
        /**
         * Path in the pass store; the first line of `pass show` is used.
         */
        pass: string;
      }
    | {
        /**
         * File holding the secret (relative to this file); one trailing newline is dropped.
         */
        file: string;
      };
  /**
   * Also fire for skipped runs (ignored pusher or marker).
   */
  include_ignored?: boolean;
  /**
   * owner/name globs; default: every watched repo.
   */
  repos?: string[];
}
