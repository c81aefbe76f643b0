// PostgreSQL that accepts TCP but never answers (issue 10 item 13): start-up fails within the
// connect timeout with an error naming the database (never its password), instead of hanging.
import { afterEach, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { openStore } from '../../../src/adapters/store/open.ts';

let server: Server | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise((r) => (server ? server.close(r) : r(null)));
});

it('a server that accepts TCP and never answers: openStore fails after the connect timeout, naming host and database only', async () => {
  server = createServer((s) => void sockets.push(s)); // accepts, reads nothing, answers nothing
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const err = await openStore(`postgres://monitor:s3cret-pw@127.0.0.1:${port}/records`, { connectTimeoutMs: 300 }).then(() => new Error("opened"), (e: unknown) => e as Error);
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(new RegExp(`^runs\\.database postgres://127\\.0\\.0\\.1:${port}/records cannot be opened \\(connect timeout 0\\.3 s\\): .*timeout`, 'i'));
  expect(err.message).not.toContain('s3cret-pw');
}, 5000);
