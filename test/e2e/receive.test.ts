// The receive path end to end, in-process: signed deliveries from the Gitea stand-in over real HTTP
// to the daemon, notices read back from the homeserver stand-in, runs read from the store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { ROOM, SECRETS, startWorld, startWorldDaemon, type World } from '../helpers/world.ts';
import type { Daemon } from '../../src/runtime/daemon.ts';
import { memoryLogger } from '../../src/log.ts';

let w: World;
let d: Daemon & { logs: ReturnType<typeof memoryLogger> };
beforeEach(async () => {
  w = await startWorld();
  await w.installHooks();
  d = await startWorldDaemon(w);
});
afterEach(async () => {
  await d.stop();
  await w.close();
});

const sign = (body: string, secret = SECRETS.WEBHOOK_SECRET) => createHmac('sha256', secret).update(body).digest('hex');
async function post(body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(d.url + '/webhook/gitea', { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, body: await res.json() };
}
const healthy = async () => (await fetch(d.url + '/webhook/health')).status;

describe('receive path', () => {
  it('a signed 3-commit push becomes exactly one notice within 1 s, one run and its call chain', async () => {
    const t0 = Date.now();
    const [delivery] = await w.gitea.push('dataforge/api', {
      pusher: 'alice',
      commits: [
        { message: 'Add ingestion endpoint\n\nLong body.', author: { name: 'Alice Liddell', email: 'alice@example.com' } },
        { message: 'Fix typo', author: { name: 'Bob', email: 'bob@example.com' } },
        { message: 'Remove obsolete config\n', author: { name: 'Alice Liddell', email: 'alice@example.com' } },
      ],
    });
    expect(delivery!.status).toBe(202);
    const [msg] = await w.hs.waitForMessages(ROOM, 1, 1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    const c = msg!.content as Record<string, unknown>;
    expect(c.msgtype).toBe('m.notice');
    expect(c['m.mentions']).toEqual({});
    expect(String(c.body).split('\n')[0]).toBe('[dataforge/api] alice pushed 3 commits to main');
    expect(c.body).toContain('Remove obsolete config (Alice Liddell)');
    expect(c.body).toContain('/compare/');
    await d.settle();
    const runs = await d.store.listRuns({});
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ nodeId: 'gitea_push_api', trigger: 'webhook', status: 'announced', event: 'push', ref: 'refs/heads/main', commits: 3, deliveryId: delivery!.uuid });
    const steps = (await d.store.callsOf(delivery!.uuid)).map((x) => x.step);
    expect(steps).toEqual(['receive', 'verify', 'dedupe', 'enqueue', 'render', 'record', 'matrix.send']);
    expect(w.hs.messages(ROOM)).toHaveLength(1);
  });

  it('pushes to 3 repos give 3 notices; an excluded repo is acknowledged and announced nowhere', async () => {
    for (const r of ['dataforge/api', 'dataforge/web', 'dataforge/pipelines']) await w.gitea.push(r, { pusher: 'bob' });
    const [excluded] = await w.gitea.push('dataforge/sandbox-play', { pusher: 'bob' });
    expect(excluded!.status).toBe(202);
    const msgs = await w.hs.waitForMessages(ROOM, 3, 2000);
    await d.settle();
    expect(msgs.map((m) => String((m.content as { body: string }).body).split(']')[0])).toEqual(['[dataforge/api', '[dataforge/web', '[dataforge/pipelines']);
    expect(w.hs.messages(ROOM)).toHaveLength(3);
    expect((await d.store.listRuns({})).map((r) => r.repo).sort()).toEqual(['dataforge/api', 'dataforge/pipelines', 'dataforge/web']);
    expect(d.logs.lines.find((l) => l.msg === 'delivery ignored')).toMatchObject({ reason: expect.stringContaining('excluded'), delivery_id: excluded!.uuid });
  });

  it('answers bad input with a clear 4xx, logs the reason, and keeps serving', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const cases: Array<[string, string | Buffer, Record<string, string>, number, RegExp]> = [
      ['wrong signature', body, { 'x-gitea-event': 'push', 'x-gitea-signature': sign(body, 'nope') }, 401, /does not match/],
      ['missing signature', body, { 'x-gitea-event': 'push' }, 401, /no X-Gitea-Signature/],
      ['malformed JSON', '{"ref": ', { 'x-gitea-event': 'push', 'x-gitea-signature': sign('{"ref": ') }, 400, /not valid JSON/],
      ['invalid payload', body, { 'x-gitea-event': 'push', 'x-gitea-signature': sign(body) }, 400, /push payload: body is missing "before"/],
      ['missing event header', body, { 'x-gitea-signature': sign(body) }, 400, /missing X-Gitea-Event/],
      ['oversize body', Buffer.alloc(6 * 1024 * 1024, 'a'), { 'x-gitea-event': 'push' }, 413, /server.body_limit/],
      ['wrong content type', body, { 'content-type': 'text/plain', 'x-gitea-event': 'push', 'x-gitea-signature': sign(body) }, 415, /not supported/],
    ];
    for (const [name, b, headers, status, detail] of cases) {
      const r = await post(b, { 'x-gitea-delivery': `bad-${name}`, ...headers });
      expect(r.status, name).toBe(status);
      expect(r.body.detail, name).toMatch(detail);
      expect(await healthy(), name).toBe(200);
    }
    const refused = d.logs.lines.filter((l) => l.msg === 'delivery rejected' || l.msg === 'delivery refused');
    expect(refused).toHaveLength(cases.length);
    expect(await d.store.listRuns({})).toEqual([]);
  });

  it('escapes commit HTML and pings nobody for @room', async () => {
    await w.gitea.push('dataforge/web', { pusher: 'alice', commits: [{ message: '<b>bold</b> @room <script>x</script> & more', author: { name: 'Eve <eve>', email: 'e@x' } }] });
    const [msg] = await w.hs.waitForMessages(ROOM, 1, 1000);
    const c = msg!.content as { body: string; formatted_body: string; 'm.mentions': object };
    expect(c['m.mentions']).toEqual({});
    expect(c.formatted_body).toContain('&lt;b&gt;bold&lt;/b&gt; @room &lt;script&gt;x&lt;/script&gt; &amp; more');
    expect(c.formatted_body).not.toMatch(/<script|<b>bold/);
    expect(c.body).toContain('<b>bold</b> @room <script>x</script> & more');
  });

  it('a repeated delivery and a replay from Gitea\'s UI give one run and one notice', async () => {
    const [first] = await w.gitea.push('dataforge/api', { pusher: 'alice' });
    const again = await fetch(d.url + '/webhook/gitea', { method: 'POST', body: first!.body, headers: first!.requestHeaders });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const replay = await w.gitea.replay(first!.uuid);
    expect(replay.uuid).not.toBe(first!.uuid);
    expect(replay.status).toBe(200);
    await w.hs.waitForMessages(ROOM, 1, 1000);
    await d.settle();
    expect(w.hs.messages(ROOM)).toHaveLength(1);
    expect(await d.store.listRuns({})).toHaveLength(1);
  });

  it('a push by an ignored pusher or with a skip marker is recorded as skipped, not announced', async () => {
    await w.gitea.push('dataforge/api', { pusher: 'registry-bot' });
    await w.gitea.push('dataforge/web', { pusher: 'alice', commits: [{ message: 'Bump versions [skip notify]', author: { name: 'A', email: 'a@x' } }] });
    await w.gitea.push('dataforge/pipelines', { pusher: 'alice' });
    await w.hs.waitForMessages(ROOM, 1, 1000);
    await d.settle();
    const runs = await d.store.listRuns({});
    expect(runs.map((r) => [r.repo, r.status]).sort()).toEqual([['dataforge/api', 'skipped'], ['dataforge/pipelines', 'announced'], ['dataforge/web', 'skipped']]);
    expect(w.hs.messages(ROOM)).toHaveLength(1);
  });

  it('the skip marker counts on the head commit only: a marked older commit hides nothing, a marked head hides the push', async () => {
    const marked = { message: 'Bump versions [skip notify]', author: { name: 'A', email: 'a@x' } };
    const plain = { message: 'Fix the parser', author: { name: 'A', email: 'a@x' } };
    await w.gitea.push('dataforge/api', { pusher: 'alice', commits: [marked, plain] }); // head: plain
    await w.gitea.push('dataforge/web', { pusher: 'alice', commits: [plain, marked] }); // head: marked
    const [msg] = await w.hs.waitForMessages(ROOM, 1, 1000);
    await d.settle();
    expect(String((msg!.content as { body: string }).body)).toContain('[dataforge/api] alice pushed 2 commits to main');
    const runs = await d.store.listRuns({});
    expect(runs.map((r) => [r.repo, r.status]).sort()).toEqual([['dataforge/api', 'announced'], ['dataforge/web', 'skipped']]);
    expect(w.hs.messages(ROOM)).toHaveLength(1);
  });
});
