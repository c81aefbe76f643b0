// The floor: the least a correct receiver can do per delivery: read the body, check the HMAC in
// constant time, JSON.parse, answer 202. No storage, no logging. Run as its own process:
//   node bench/floor.ts SECRET        (prints {"url": ...} once listening on 127.0.0.1)
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const secret = process.argv[2];
if (!secret) throw new Error('usage: node bench/floor.ts SECRET');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers['x-gitea-signature'] ?? ''), 'hex');
    const want = createHmac('sha256', secret).update(body).digest();
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad_request"}');
      return;
    }
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${port}` }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
