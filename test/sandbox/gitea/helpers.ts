// Shared test plumbing for the Gitea stand-in: a real webhook receiver over loopback, a running
// sandbox with a tiny API client, and fixture access.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GiteaSandbox, GiteaSandboxOptions } from '../../../src/sandbox/gitea/index.ts';
import { createGiteaSandbox } from '../../../src/sandbox/gitea/index.ts';

export const FIXTURES = new URL('../../fixtures/gitea/', import.meta.url);
export const TOKEN = 'test-token-0123456789';
export const READ_TOKEN = 'read-only-token-9876';

export function fixture(name: string): string {
  return readFileSync(new URL(`payloads/${name}`, FIXTURES), 'utf8');
}

export interface Received { method: string; path: string; headers: IncomingHttpHeaders; rawHeaders: string[]; body: string }

/** What the receiver does with a request: answer with a status, or never answer (`hang`). */
export type Reaction = { status: number } | 'hang';

export interface Receiver {
  url: string;
  requests: Received[];
  /** Resolves when the receiver has seen `count` requests in total. */
  waitFor(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(react: (req: Received) => Reaction = () => ({ status: 200 })): Promise<Receiver> {
  const requests: Received[] = [];
  const waiters: Array<{ count: number; resolve: (r: Received[]) => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      for (const w of waiters.filter((x) => requests.length >= x.count)) w.resolve(requests.slice());
      const reaction = react(received);
      if (reaction === 'hang') return;
      res.writeHead(reaction.status, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    waitFor: (count) => (requests.length >= count ? Promise.resolve(requests.slice()) : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Running {
  sandbox: GiteaSandbox;
  url: string;
  /** Calls the API with the read-write token unless `token` is given (`null` sends none). */
  api(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; headers: Headers; text: string; json: unknown }>;
  close(): Promise<void>;
}

export async function startSandbox(opts: Partial<GiteaSandboxOptions> = {}): Promise<Running> {
  const sandbox = createGiteaSandbox({ token: TOKEN, readOnlyToken: READ_TOKEN, ...opts });
  const server = await sandbox.listen();
  return {
    sandbox,
    url: server.url,
    async api(method, path, body, token = TOKEN) {
      const headers: Record<string, string> = {};
      if (token !== null) headers.Authorization = `token ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    close: () => server.close(),
  };
}

/** Creates an active gitea hook through the real API and returns its id. */
export async function addHook(run: Running, base: string, url: string, extra: Record<string, unknown> = {}, config: Record<string, string> = {}): Promise<number> {
  const res = await run.api('POST', `${base}/hooks`, {
    type: 'gitea',
    config: { url, content_type: 'json', secret: 'hook-secret', ...config },
    events: ['push', 'create', 'delete', 'release', 'repository'],
    active: true,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`hook creation failed: ${res.status} ${res.text}`);
  return (res.json as { id: number }).id;
}

export const hmacHex = (algorithm: 'sha256' | 'sha1', secret: string, data: string) => createHmac(algorithm, secret).update(data, 'utf8').digest('hex');

/** Every key path of a JSON value in document order, e.g. `repository.owner.login`; array items share `[]`. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keyPaths(item, `${prefix}[].`)))];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}
