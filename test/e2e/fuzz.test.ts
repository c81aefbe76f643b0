// Bad input never crashes the receiver: thousands of malformed requests (bad JSON, wrong types,
// missing or huge headers, wrong content types, random bytes, mutated signed payloads) each get a
// clear answer — 4xx with a JSON {error, detail}, or 2xx when the request happens to be valid —
// never a 5xx, and the daemon keeps serving.
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

const PUSH = readFileSync(new URL('../fixtures/gitea/payloads/push-3-commits.json', import.meta.url), 'utf8');
let w: World;
let d: Daemon;
beforeAll(async () => {
  w = await startWorld({ repoRules: '  - { match: alice/*, notify: [news] }' });
  d = await startWorldDaemon(w);
});
afterAll(async () => {
  await d.stop();
  await w.close();
});

const sign = (body: Buffer) => createHmac('sha256', SECRETS.WEBHOOK_SECRET).update(body).digest('hex');

/** Raw node:http so malformed headers and bodies go out exactly as generated. */
function send(body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(d.url + '/webhook/gitea', { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const jsonValue = fc.jsonValue();
/** A valid push with one field replaced by an arbitrary JSON value. */
const mutatedPush = fc.tuple(fc.constantFrom('ref', 'before', 'after', 'commits', 'repository', 'pusher', 'total_commits', 'head_commit', 'compare_url'), jsonValue).map(([k, v]) => {
  const p = JSON.parse(PUSH);
  p[k] = v;
  return Buffer.from(JSON.stringify(p));
});
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 500 }).map((s) => Buffer.from(s)),
  jsonValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  mutatedPush,
);
const contentTypes = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', '', 'application/json; charset=utf-8', 'multipart/form-data; boundary=x');
const events = fc.oneof(fc.constantFrom('push', 'create', 'delete', 'release', 'issues', 'repository', '', 'PUSH'), fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e]*$/.test(s)));
const signatures = fc.constantFrom<'valid' | 'missing' | 'garbage' | 'huge'>('valid', 'missing', 'garbage', 'huge');

it('answers thousands of malformed requests with 4xx (or 2xx when valid), never 5xx, and stays up', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(bodies, contentTypes, events, signatures, async (body, ct, event, sig) => {
      const headers: Record<string, string> = { 'x-gitea-delivery': `fuzz-${Math.random()}` };
      if (ct) headers['content-type'] = ct;
      if (event) headers['x-gitea-event'] = event;
      if (sig === 'valid') headers['x-gitea-signature'] = sign(body);
      if (sig === 'garbage') headers['x-gitea-signature'] = 'zz' + 'a'.repeat(62);
      if (sig === 'huge') headers['x-gitea-signature'] = 'f'.repeat(8000);
      const r = await send(body, headers);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status).toBeGreaterThanOrEqual(200);
      expect(r.status).toBeLessThan(500);
      if (r.status >= 400) expect(JSON.parse(r.body)).toMatchObject({ error: expect.any(String), detail: expect.any(String) });
      if (sig !== 'valid') expect(r.status).toBeGreaterThanOrEqual(400);
    }),
    { numRuns: 2000 },
  );
  expect((await fetch(d.url + '/webhook/health')).status).toBe(200);
  // The generator reached every answer class.
  for (const s of [400, 401, 415]) expect(statuses.get(s) ?? 0).toBeGreaterThan(0);
});

it('answers huge headers and oversize bodies with 4xx', async () => {
  const huge = await send(Buffer.from('{}'), { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-junk': 'x'.repeat(40_000) });
  expect(huge.status).toBe(431);
  const big = await send(Buffer.alloc(5 * 1024 * 1024 + 1, 0x20), { 'content-type': 'application/json', 'x-gitea-event': 'push' });
  expect(big.status).toBe(413);
  expect((await fetch(d.url + '/webhook/health')).status).toBe(200);
});
