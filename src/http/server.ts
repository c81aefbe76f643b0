// node:http around the h3 app: a connection cap, header and request deadlines that fire at their
// setting (Node checks them every connectionsCheckingInterval, 30 s by default: a slow client was held
// up to 45 s against 15 s), JSON answers to malformed or timed-out requests, and a close that waits
// for requests in flight.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeHandler, type H3 } from 'h3';
import { errorAnswer, writeAnswer, type Answer } from './errors.ts';

/** Routes answered on node:http itself, before h3, keyed "METHOD /path" (the path exactly, any
 * query): the webhook route, where a web Request and Response per delivery cost more than the rest
 * of the request's handling. Every other request (and any other spelling of a path) goes to h3. */
export type DirectRoutes = Record<string, (req: IncomingMessage) => Promise<Answer>>;

export function withDirectRoutes(direct: DirectRoutes, fallback: (req: IncomingMessage, res: ServerResponse) => unknown, onError?: (e: unknown, req: IncomingMessage) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = direct[`${req.method} ${q < 0 ? url : url.slice(0, q)}`];
    if (!route) return void fallback(req, res);
    route(req).then(
      (a) => writeAnswer(res, a),
      // As h3's onError in app.ts answers a handler that throws; the error itself goes to the log.
      (e: unknown) => {
        onError?.(e, req);
        if (res.headersSent) res.destroy();
        else writeAnswer(res, errorAnswer('internal', 'internal error'));
      },
    );
  };
}

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServerLimits {
  /** server.headers_timeout: the request headers must be in by then. */
  headersTimeoutMs?: number;
  /** server.body_timeout: the webhook route cuts a slow body itself; Node's deadline is the backstop. */
  bodyTimeoutMs?: number;
  /** server.max_connections: connections beyond it are closed at once. */
  maxConnections?: number;
}

/** How often Node checks the deadlines: a tenth of the shortest, between 50 ms and 1 s. */
export function checkingInterval(headersTimeoutMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(headersTimeoutMs / 10)));
}

export interface Direct {
  routes: DirectRoutes;
  /** A direct route that threw (answered 500 as h3 would): for the log. */
  onError?: (e: unknown, req: IncomingMessage) => void;
}

export async function listen(app: H3, host: string, port: number, limits: ServerLimits = {}, direct: Direct = { routes: {} }): Promise<Listening> {
  const headersTimeout = limits.headersTimeoutMs ?? 10_000;
  const bodyTimeout = limits.bodyTimeoutMs ?? 15_000;
  const server = createServer(
    {
      headersTimeout,
      // The whole request; the route's own body timer answers first (with its JSON 408).
      requestTimeout: headersTimeout + bodyTimeout + 1000,
      connectionsCheckingInterval: checkingInterval(headersTimeout),
      keepAliveTimeout: 5_000,
    },
    withDirectRoutes(direct.routes, toNodeHandler(app), direct.onError),
  );
  server.maxConnections = limits.maxConnections ?? 256;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, headersTimeout));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => (server.off('error', reject), resolve()));
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
  return {
    server,
    port: addr.port,
    url: `http://${shown}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** Node's own refusals (timeouts, malformed requests) as JSON {error, detail}, like every other answer. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, headersTimeoutMs: number): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, error, detail]: [number, string, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'timeout', `the request was not received in time (server.headers_timeout ${headersTimeoutMs} ms, then server.body_timeout)`]
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'bad_request', 'request headers too large']
        : [400, 'bad_request', 'malformed HTTP request'];
  const body = JSON.stringify({ error, detail });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
