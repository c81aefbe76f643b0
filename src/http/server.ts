// node:http around the h3 app, with timeouts for slow clients (a client that trickles its headers
// or body is cut off with 408 by Node) and a close that waits for requests in flight.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler, type H3 } from 'h3';

export interface Listening {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(app: H3, host: string, port: number, opts: { requestTimeoutMs?: number } = {}): Promise<Listening> {
  const server = createServer({ requestTimeout: opts.requestTimeoutMs ?? 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, toNodeHandler(app));
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
