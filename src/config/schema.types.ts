/* Generated from schema/monitor.schema.json by `npm run gen:types`. Do not edit. */

/**
 * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
 */
export type SecretSource =
  | {
      env: string;
    }
  | {
      pass: string;
    }
  | {
      file: string;
    };
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
export type Name = string;
export type HttpUrl = string;

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
     * API token with write:repository (and write:organization for org hooks).
     */
    token:
      | {
          env: string;
        }
      | {
          pass: string;
        }
      | {
          file: string;
        };
    /**
     * Timeout of one Gitea API call (default 10s).
     */
    timeout?: string;
    /**
     * Gitea API calls in flight at once (default 8).
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
          env: string;
        }
      | {
          pass: string;
        }
      | {
          file: string;
        };
    /**
     * Secrets still accepted while a rotation rolls out.
     */
    previous_secrets?: SecretSource[];
    /**
     * Events the hook subscribes to (default push, create, delete, release).
     *
     * @minItems 1
     */
    events?: [HookEvent, ...HookEvent[]];
    /**
     * Gitea branch_filter glob of the hook (default empty: every branch and tag).
     */
    branch_filter?: string;
    /**
     * Content type Gitea sends (default json).
     */
    content_type?: 'json' | 'form';
  };
  /**
   * The HTTP listener.
   */
  server?: {
    /**
     * host:port to listen on (default 0.0.0.0:8080).
     */
    listen?: string;
    /**
     * Largest accepted delivery body (default 5MiB).
     */
    body_limit?: string;
    /**
     * How long SIGTERM waits for in-flight work (default 10s).
     */
    drain_timeout?: string;
  };
  /**
   * The homeserver and the rooms notices go to.
   */
  matrix: {
    /**
     * Client-server API base URL of the homeserver.
     */
    homeserver: string;
    /**
     * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
     */
    access_token:
      | {
          env: string;
        }
      | {
          pass: string;
        }
      | {
          file: string;
        };
    /**
     * Message type of notices (default m.notice: never pings).
     */
    msgtype?: 'm.notice' | 'm.text';
    /**
     * Named rooms: name -> alias or room id.
     */
    rooms: {
      /**
       * Room alias (#name:server) or room id (!id).
       */
      [k: string]: string | undefined;
    };
    /**
     * A notice that could not be sent for this long is marked failed (default 1h).
     */
    give_up_after?: string;
  };
  /**
   * Which repositories are watched and where their notices go.
   *
   * @minItems 1
   */
  repos: [RepoRule, ...RepoRule[]];
  /**
   * Liquid templates overriding the built-in wording; text required, html optional.
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
     * Notices per window per repo per room (default 1).
     */
    per_repo_per_room?: number;
    /**
     * Window length (default 60s).
     */
    window?: string;
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
     * sqlite:PATH (default sqlite:./data/monitor.db) or postgres://...
     */
    database?: string;
  };
  /**
   * unstorage driver for rate-limit windows and leases.
   */
  state?: {
    /**
     * fs (default), redis (several replicas) or memory (tests).
     */
    driver?: 'fs' | 'redis' | 'memory';
    /**
     * Folder of the fs driver (default ./data/state).
     */
    base?: string;
    /**
     * redis:// URL of the redis driver.
     */
    url?: string;
    /**
     * Key prefix (default monitor).
     */
    prefix?: string;
  };
  /**
   * How the daemon keeps the hooks on Gitea matching this file.
   */
  reconcile?: {
    /**
     * Time between reconcile passes (default 5m).
     */
    interval?: string;
    /**
     * Delete our hooks on repos no longer declared (default true).
     */
    prune?: boolean;
  };
  /**
   * Downstream systems that get a signed HTTP POST for every recorded run.
   */
  triggers?: Trigger[];
  /**
   * The /ui/ dashboard; without auth it answers only on loopback.
   */
  dashboard?: {
    auth?: {
      token: SecretSource;
    };
  };
}
export interface RepoRule {
  /**
   * owner/name glob, e.g. dataforge/*.
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
   * Branch globs announced (default every branch).
   */
  branches?: string[];
  /**
   * Events announced (default all received).
   */
  events?: ('push' | 'create' | 'delete' | 'release')[];
  /**
   * repo: one hook per repository (default); org: one org hook for the owner.
   */
  scope?: 'repo' | 'org';
}
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
export interface Trigger {
  name: Name;
  url: HttpUrl;
  /**
   * Events that fire it (default push).
   */
  events?: ('push' | 'create' | 'delete' | 'release')[];
  /**
   * Where a secret comes from: { env: NAME } | { pass: path } | { file: path }.
   */
  secret:
    | {
        env: string;
      }
    | {
        pass: string;
      }
    | {
        file: string;
      };
  /**
   * Also fire for skipped runs (ignored pusher or marker).
   */
  include_ignored?: boolean;
  /**
   * owner/name globs (default every watched repo).
   */
  repos?: string[];
}
