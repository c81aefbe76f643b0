// In-memory homeserver state: users, rooms, aliases, timelines. Knows nothing about HTTP.
import { randomBytes, randomInt } from 'node:crypto';
import type { ClientEvent, SandboxProfile, SandboxRoomSpec, SandboxUser } from './types.ts';
import { createKeyStore } from './keys.ts';

/** Who sent an event with which txnId: decides whether a reader sees `unsigned.transaction_id`. */
export interface TxnOrigin {
  userId: string;
  deviceId: string;
  txnId: string;
}

export interface StoredEvent {
  event: ClientEvent;
  origin?: TxnOrigin;
  /** Position in the server-wide event stream: what /sync's `since` and `next_batch` count. */
  pos: number;
}

export interface Room {
  id: string;
  inviteOnly: boolean;
  members: Set<string>;
  invited: Set<string>;
  events: StoredEvent[];
}

/** Whose eyes an event is rendered for: a device, or the test harness that sees every txnId. */
export type Viewer = { userId: string; deviceId: string } | 'harness';

export type EventListener = (roomId: string, ev: ClientEvent) => void;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function createState(serverName: string, now: () => number) {
  const users = new Map<string, SandboxUser>();
  const passwords = new Map<string, string>(); // user id -> password
  const profiles = new Map<string, SandboxProfile>();
  const rooms = new Map<string, Room>();
  const aliases = new Map<string, string>();
  const eventsById = new Map<string, { room: Room; stored: StoredEvent }>();
  const listeners = new Set<EventListener>();
  let stream = 0;
  const streamListeners = new Set<() => void>();
  // To-device messages and device-list changes take positions in the same stream as room events.
  const keys = createKeyStore(() => {
    const pos = ++stream;
    queueMicrotask(() => streamListeners.forEach((l) => l()));
    return pos;
  });
  // A kick is done by someone; real servers name the kicker as the sender.
  const admin = `@sandbox-admin:${serverName}`;

  function newRoomId(): string {
    let local = '';
    for (let i = 0; i < 18; i++) local += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
    return `!${local}:${serverName}`;
  }

  function view(stored: StoredEvent, viewer: Viewer): ClientEvent {
    const ev = structuredClone(stored.event);
    const unsigned: NonNullable<ClientEvent['unsigned']> = { age: Math.max(0, now() - ev.origin_server_ts) };
    const o = stored.origin;
    // The spec shows transaction_id only to the device that sent the event.
    if (o && (viewer === 'harness' || (viewer.userId === o.userId && viewer.deviceId === o.deviceId))) {
      unsigned.transaction_id = o.txnId;
    }
    ev.unsigned = unsigned;
    return ev;
  }

  function append(room: Room, ev: Omit<ClientEvent, 'event_id' | 'room_id' | 'origin_server_ts'>, origin?: TxnOrigin): StoredEvent {
    // Room version 4+ event IDs: "$" and an unpadded url-safe base64 hash, no server part.
    const event: ClientEvent = { event_id: `$${randomBytes(32).toString('base64url')}`, room_id: room.id, origin_server_ts: now(), ...ev };
    const pos = ++stream;
    queueMicrotask(() => streamListeners.forEach((l) => l()));
    const stored: StoredEvent = origin ? { event, origin, pos } : { event, pos };
    room.events.push(stored);
    eventsById.set(event.event_id, { room, stored });
    for (const l of listeners) l(room.id, view(stored, 'harness'));
    return stored;
  }

  function membership(room: Room, userId: string, sender: string, value: 'join' | 'leave' | 'invite'): void {
    append(room, { type: 'm.room.member', sender, state_key: userId, content: { membership: value } });
  }

  function resolve(roomIdOrAlias: string): Room | undefined {
    const id = roomIdOrAlias.startsWith('#') ? aliases.get(roomIdOrAlias) : roomIdOrAlias;
    return id === undefined ? undefined : rooms.get(id);
  }

  function setAlias(alias: string, roomId: string): void {
    if (!alias.startsWith('#') || !alias.includes(':')) throw new Error(`homeserver sandbox: bad alias ${alias}`);
    if (!rooms.has(roomId)) throw new Error(`homeserver sandbox: no room ${roomId}`);
    aliases.set(alias, roomId);
  }

  /** Joins and records the membership event; joining twice changes nothing, as on a real server. */
  function join(userId: string, room: Room): void {
    if (room.members.has(userId)) return;
    room.members.add(userId);
    room.invited.delete(userId);
    membership(room, userId, userId, 'join');
  }

  function mustResolve(roomIdOrAlias: string): Room {
    const room = resolve(roomIdOrAlias);
    if (!room) throw new Error(`homeserver sandbox: no room ${roomIdOrAlias}`);
    return room;
  }

  return {
    serverName,
    users,
    rooms,
    aliases,
    view,
    append,
    resolve,
    mustResolve,

    passwords,
    profiles,
    keys,
    /** Uploaded sync filters: id -> filter JSON. */
    filters: new Map<string, unknown>(),

    /** Called after every new stream position (room event, to-device message, key change). */
    onStream(listener: () => void): () => void {
      streamListeners.add(listener);
      return () => streamListeners.delete(listener);
    },

    addUser(u: SandboxUser): void {
      users.set(u.token, { token: u.token, userId: u.userId, deviceId: u.deviceId });
      if (u.password !== undefined) passwords.set(u.userId, u.password);
    },

    addRoom(spec: SandboxRoomSpec): string {
      const id = spec.roomId ?? newRoomId();
      if (!id.startsWith('!')) throw new Error(`homeserver sandbox: room ID must start with "!": ${id}`);
      if (rooms.has(id)) throw new Error(`homeserver sandbox: room ${id} exists`);
      const room: Room = { id, inviteOnly: spec.inviteOnly ?? false, members: new Set(), invited: new Set(), events: [] };
      rooms.set(id, room);
      if (spec.alias !== undefined) setAlias(spec.alias, id);
      if (spec.encrypted) append(room, { type: 'm.room.encryption', sender: admin, state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } });
      for (const m of spec.members ?? []) join(m, room);
      return id;
    },

    setAlias,
    join,

    /** Records the invite as an m.room.member event (what the invitee's /sync shows as invite_state). */
    invite(userId: string, room: Room, sender = admin): void {
      if (room.members.has(userId) || room.invited.has(userId)) return;
      room.invited.add(userId);
      membership(room, userId, sender, 'invite');
    },

    /** The current stream position (the newest event's). */
    get position(): number {
      return stream;
    },

    kick(userId: string, room: Room): void {
      room.invited.delete(userId);
      if (!room.members.delete(userId)) return;
      membership(room, userId, admin, 'leave');
    },

    setState(room: Room, type: string, content: Record<string, unknown>, stateKey = ''): void {
      append(room, { type, sender: admin, state_key: stateKey, content });
    },

    /** The current state event of (type, state key), if any. */
    stateEvent(room: Room, type: string, stateKey = ''): StoredEvent | undefined {
      return room.events.findLast((s) => s.event.type === type && s.event.state_key === stateKey);
    },

    findEvent(room: Room, eventId: string): StoredEvent | undefined {
      const hit = eventsById.get(eventId);
      return hit && hit.room === room ? hit.stored : undefined;
    },

    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type HomeserverState = ReturnType<typeof createState>;
