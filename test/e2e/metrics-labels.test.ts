// monitor_deliveries_total cannot be grown by a client: the event label comes from a closed set,
// and only once the signature is verified (5,000 distinct unsigned event names add no series).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';

let w: World;
let d: Daemon;
beforeAll(async () => {
  w = await startWorld();
  d = await startWorldDaemon(w);
});
afterAll(async () => {
  await d.stop();
  await w.close();
});

const series = async () => (await (await fetch(d.url + '/metrics')).text()).split('\n').filter((l) => l.startsWith('monitor_deliveries_total{'));
const post = (event: string, body: string, signature?: string) =>
  fetch(d.url + '/webhook/gitea', { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-gitea-event': event, ...(signature ? { 'x-gitea-signature': signature } : {}) } }).then((r) => (void r.arrayBuffer(), r.status));

it('5,000 distinct unsigned event names leave the series count bounded', async () => {
  const statuses: number[] = [];
  for (let batch = 0; batch < 5000; batch += 50) {
    statuses.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => post(`junk-${batch + i}`, '{}')))));
  }
  expect(statuses.every((s) => s === 401)).toBe(true);
  const lines = await series();
  expect(lines).toEqual(['monitor_deliveries_total{event="unverified",outcome="unauthorized"} 5000']);
});

it('a signed delivery of an unhandled event is counted as "other", a handled one by its name', async () => {
  const body = JSON.stringify({ action: 'opened' });
  const sig = createHmac('sha256', SECRETS.WEBHOOK_SECRET).update(body).digest('hex');
  expect(await post('pull_request_zzz', body, sig)).toBe(202);
  expect(await post('push', body, sig)).toBe(400);
  const lines = await series();
  expect(lines).toContain('monitor_deliveries_total{event="other",outcome="ignored"} 1');
  expect(lines).toContain('monitor_deliveries_total{event="push",outcome="bad_request"} 1');
  expect(lines.some((l) => l.includes('pull_request_zzz'))).toBe(false);
});
