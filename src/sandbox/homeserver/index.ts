// The homeserver stand-in: a small h3 app speaking the client-server API subset the daemon uses,
// plus harness controls (seeding, reading timelines, fault injection). See FACTS "Stand-in homeserver".
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { H3, toNodeHandler } from 'h3';
import { createFaults, isSendRequest } from './faults.ts';
import { matrixError, rawPath } from './http.ts';
import { registerRoutes } from './routes.ts';
import { createState } from './state.ts';
import { createTxnCache } from './txns.ts';
import type { ClientEvent, HomeserverOptions, HomeserverSandbox, ListeningServer, RequestRecord } from './types.ts';

export type * from './types.ts';

const SEND_TXN = /\/send\/[^/]+\/([^/]+)$/;

export function createHomeserverSandbox(opts: HomeserverOptions = {}): HomeserverSandbox {
  const now = opts.now ?? Date.now;
  const state = createState(opts.serverName ?? 'localhost', now);
  const faults = createFaults();
  const txns = createTxnCache();
  const requests: RequestRecord[] = [];
  let url: string | undefined;

  const app = new H3({
    silent: true,
    onResponse(response, event) {
      const record: RequestRecord = { method: event.req.method, path: rawPath(event), status: response.status, at: now() };
      const txn = isSendRequest(record.method, record.path) ? SEND_TXN.exec(record.path)?.[1] : undefined;
      if (txn !== undefined) record.txnId = safeDecode(txn);
      requests.push(record);
    },
    // Anything h3 itself rejects (e.g. a malformed URL) or a bug still answers in Matrix shape.
    onError(error) {
      const status = error.status >= 400 ? error.status : 500;
      return matrixError(status, 'M_UNKNOWN', error.message || 'Internal error');
    },
  });

  app.use(async (event, next) => {
    const method = event.req.method;
    const path = rawPath(event);
    // "Down" answers fast with a JSON 503 rather than dropping sockets, so tests stay deterministic.
    if (faults.down) return matrixError(503, 'M_UNKNOWN', 'Homeserver sandbox is down');
    const delay = faults.latencyFor(method, path);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    // Sends take their faults inside the handler, after the txn cache (see routes-rooms.ts).
    if (isSendRequest(method, path)) return next();
    const before = faults.take(method, path, 'before');
    if (before) return before;
    const response = await next();
    return faults.take(method, path, 'after') ?? response;
  });

  registerRoutes(app, { state, faults, txns, now });

  for (const u of opts.users ?? []) state.addUser(u);
  for (const r of opts.rooms ?? []) state.addRoom(r);

  const timeline = (target: string): ClientEvent[] => state.mustResolve(target).events.map((s) => state.view(s, 'harness'));
  const messages = (target: string): ClientEvent[] => timeline(target).filter((e) => e.type === 'm.room.message');

  return {
    app,
    requests,

    get url(): string {
      if (url === undefined) throw new Error('homeserver sandbox: call listen() first');
      return url;
    },

    async listen(port = 0, host = '127.0.0.1'): Promise<ListeningServer> {
      const server = createServer(toNodeHandler(app));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const bound = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      url = bound;
      return {
        url: bound,
        close: () =>
          new Promise<void>((resolve, reject) => {
            server.close((err) => (err ? reject(err) : resolve()));
            // Keep-alive sockets from fetch would otherwise hold close() open.
            server.closeAllConnections();
          }),
      };
    },

    addUser: (u) => state.addUser(u),
    addRoom: (r) => state.addRoom(r),
    setAlias: (alias, roomId) => state.setAlias(alias, roomId),
    invite: (userId, target) => state.invite(userId, state.mustResolve(target)),
    kick: (userId, target) => state.kick(userId, state.mustResolve(target)),
    setState: (target, type, content, stateKey) => state.setState(state.mustResolve(target), type, content, stateKey),
    revokeToken: (token) => void state.users.delete(token),
    profile: (userId) => ({ ...state.profiles.get(userId) }),
    timeline,
    messages,
    onEvent: (listener) => state.subscribe(listener),

    // The room is resolved once, at call time: a later alias re-point does not move the wait.
    waitForMessages(target, count, timeoutMs = 5000) {
      const roomId = state.mustResolve(target).id;
      const current = messages(roomId);
      if (current.length >= count) return Promise.resolve(current);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          const have = messages(roomId).length;
          reject(new Error(`homeserver sandbox: ${target} has ${have} of ${count} expected m.room.message events after ${timeoutMs} ms`));
        }, timeoutMs);
        const off = state.subscribe((id, ev) => {
          if (id !== roomId || ev.type !== 'm.room.message') return;
          const now = messages(roomId);
          if (now.length < count) return;
          clearTimeout(timer);
          off();
          resolve(now);
        });
      });
    },

    inject429: (times, o) => faults.inject429(times, o),
    injectError: (times, status, errcode, o) => faults.injectError(times, status, errcode, o),
    setDown: (down) => faults.setDown(down),
    setLatency: (ms, paths) => faults.setLatency(ms, paths),
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
