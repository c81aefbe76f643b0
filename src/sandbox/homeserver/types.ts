// Public shapes of the homeserver stand-in. Field names follow the Matrix client-server API.
import type { H3 } from 'h3';

/** An event as a client sees it (definitions/client_event.yaml). */
export interface ClientEvent {
  event_id: string;
  room_id: string;
  sender: string;
  type: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  unsigned?: { age?: number; transaction_id?: string };
}

/** An access token and the user and device it authenticates. */
export interface SandboxUser {
  token: string;
  userId: string;
  deviceId: string;
  /** Lets POST /login (m.login.password) mint further devices and tokens for this user. */
  password?: string;
}

/** A user's global profile (GET/PUT /profile/{userId}/...). */
export interface SandboxProfile {
  displayname?: string;
  avatar_url?: string;
}

/** A room to seed; public rooms (inviteOnly false) are joinable by anyone. */
export interface SandboxRoomSpec {
  alias?: string;
  roomId?: string;
  inviteOnly?: boolean;
  members?: string[];
  /** Seeds an m.room.encryption state event (megolm), as Element does for private rooms. */
  encrypted?: boolean;
}

export interface HomeserverOptions {
  /** Used in generated room IDs and in directory answers; default "localhost". */
  serverName?: string;
  users?: SandboxUser[];
  rooms?: SandboxRoomSpec[];
  now?: () => number;
}

/**
 * Which requests a fault applies to: "send" (default) is `PUT .../rooms/{id}/send/{type}/{txn}`,
 * "all" is every request, a RegExp is tested against the raw request path.
 */
export type FaultScope = 'send' | 'all' | RegExp;

export interface RateLimitFault {
  /** Body field `retry_after_ms` (deprecated in the spec, still Synapse's default); null omits it. Default 1200. */
  retryAfterMs?: number | null;
  /** `Retry-After` header in whole seconds (spec >= v1.10); omitted unless given. */
  retryAfterHeaderSeconds?: number;
  paths?: FaultScope;
}

export interface ErrorFault {
  paths?: FaultScope;
  /**
   * Execute the request first (the event is created and its txnId remembered), then answer with
   * the error: a reverse proxy timing out after the homeserver committed. Default false.
   */
  afterExecute?: boolean;
}

/** One entry of the request log, in arrival order of responses. */
export interface RequestRecord {
  method: string;
  /** The raw (still percent-encoded) request path, without the query. */
  path: string;
  status: number;
  /** Decoded txnId of a send request. */
  txnId?: string;
  /** When the response was sent (the sandbox clock, ms). */
  at: number;
}

export interface ListeningServer {
  url: string;
  close(): Promise<void>;
}

export interface HomeserverSandbox {
  app: H3;
  /** Serve over node:http; defaults to an ephemeral port on 127.0.0.1. */
  listen(port?: number, host?: string): Promise<ListeningServer>;
  /** Base URL of the last `listen()`; throws before the first one. */
  readonly url: string;
  addUser(u: SandboxUser): void;
  /** Returns the room ID (generated unless given). */
  addRoom(r: SandboxRoomSpec): string;
  /** Point an alias at a room; aliases drift in real deployments. */
  setAlias(alias: string, roomId: string): void;
  invite(userId: string, roomIdOrAlias: string): void;
  kick(userId: string, roomIdOrAlias: string): void;
  /** Appends a state event sent by the sandbox admin, e.g. m.room.encryption to encrypt a room later. */
  setState(roomIdOrAlias: string, type: string, content: Record<string, unknown>, stateKey?: string): void;
  /** Invalidate an access token (a logout elsewhere, an admin): its requests get 401 M_UNKNOWN_TOKEN. */
  revokeToken(token: string): void;
  /** The user's profile as the server holds it. */
  profile(userId: string): SandboxProfile;
  /** Every event of the room, oldest first, including membership events. */
  timeline(roomIdOrAlias: string): ClientEvent[];
  /** Only the `m.room.message` events, oldest first. */
  messages(roomIdOrAlias: string): ClientEvent[];
  /** Resolves once the room holds at least `count` messages; rejects after `timeoutMs` (default 5000). */
  waitForMessages(roomIdOrAlias: string, count: number, timeoutMs?: number): Promise<ClientEvent[]>;
  /** Called for every new event; returns an unsubscribe function. */
  onEvent(listener: (roomId: string, ev: ClientEvent) => void): () => void;
  /** The next `times` matching requests get 429 M_LIMIT_EXCEEDED. */
  inject429(times: number, opts?: RateLimitFault): void;
  /** The next `times` matching requests get `status` with `errcode` (default M_UNKNOWN). */
  injectError(times: number, status: number, errcode?: string, opts?: ErrorFault): void;
  /** While down every request gets 503 M_UNKNOWN at once (the socket stays usable). */
  setDown(down: boolean): void;
  /** Delay each send request (or each request matching `paths`) by `ms` before handling it. */
  setLatency(ms: number, paths?: FaultScope): void;
  readonly requests: RequestRecord[];
}
