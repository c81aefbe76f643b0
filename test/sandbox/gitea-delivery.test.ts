// Delivery semantics of the Gitea stand-in against real receiving servers (FACTS §1, §3, §7).
import { afterEach, describe, expect, it } from 'vitest';
import type { Receiver, Running } from './gitea/helpers.ts';
import { addHook, hmacHex, startReceiver, startSandbox } from './gitea/helpers.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('gitea stand-in deliveries', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(opts: Parameters<typeof startSandbox>[0] = {}, react?: Parameters<typeof startReceiver>[0]): Promise<{ run: Running; receiver: Receiver }> {
    const receiver = await startReceiver(react);
    const run = await startSandbox(opts);
    cleanup.push(() => receiver.close(), () => run.close());
    run.sandbox.addOrg('acme');
    await run.sandbox.addRepo('acme/widget');
    return { run, receiver };
  }

  it('sends exactly one POST per event with the full header set and verifiable signatures', async () => {
    const { run, receiver } = await setup();
    await addHook(run, '/repos/acme/widget', receiver.url, { authorization_header: 'Bearer daemon-token' }, { secret: 'k3y' });
    const [d] = await run.sandbox.push('acme/widget', { commits: 2 });
    const [req] = await receiver.waitFor(1);
    expect(receiver.requests).toHaveLength(1);
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/hook');
    const h = req?.headers ?? {};
    const body = req?.body ?? '';
    expect(body).toBe(d?.body);
    const uuid = String(h['x-gitea-delivery']);
    expect(uuid).toMatch(UUID_V4);
    expect(d?.uuid).toBe(uuid);
    for (const family of ['gitea', 'gogs', 'github']) {
      expect(h[`x-${family}-delivery`]).toBe(uuid);
      expect(h[`x-${family}-event`]).toBe('push');
      expect(h[`x-${family}-event-type`]).toBe('push');
    }
    expect(h['x-gitea-hook-installation-target-type']).toBe('repository');
    expect(h['x-github-hook-installation-target-type']).toBe('repository');
    const sha256 = hmacHex('sha256', 'k3y', body);
    expect(h['x-gitea-signature']).toBe(sha256);
    expect(h['x-gogs-signature']).toBe(sha256);
    expect(h['x-hub-signature-256']).toBe(`sha256=${sha256}`);
    expect(h['x-hub-signature']).toBe(`sha1=${hmacHex('sha1', 'k3y', body)}`);
    expect(h['user-agent']).toBe('Go-http-client/1.1');
    expect(h['content-type']).toBe('application/json');
    expect(h['accept-encoding']).toBe('gzip');
    expect(h['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(h.authorization).toBe('Bearer daemon-token');
    // Header names go out spelled like Gitea's map keys, X-GitHub-* not Go-canonical X-Github-*.
    expect(req?.rawHeaders).toContain('X-GitHub-Delivery');
    expect(req?.rawHeaders).toContain('X-Gitea-Hook-Installation-Target-Type');
    // The delivery log redacts the Authorization value, as Gitea's UI does.
    expect(d?.requestHeaders.Authorization).toBe('Bearer ******');
    expect(d?.status).toBe(200);
    expect(d?.error).toBeNull();
  });

  it('without a secret the signature headers are present with empty values', async () => {
    const { run, receiver } = await setup();
    await addHook(run, '/repos/acme/widget', receiver.url, {}, { secret: '' });
    await run.sandbox.push('acme/widget');
    const [req] = await receiver.waitFor(1);
    expect(req?.rawHeaders).toContain('X-Gitea-Signature');
    expect(req?.headers['x-gitea-signature']).toBe('');
    expect(req?.headers['x-gogs-signature']).toBe('');
    expect(req?.headers['x-hub-signature']).toBe('sha1=');
    expect(req?.headers['x-hub-signature-256']).toBe('sha256=');
    expect(req?.headers.authorization).toBeUndefined();
  });

  it('a form hook sends payload=<urlencoded JSON> and signs the JSON, not the form body', async () => {
    const { run, receiver } = await setup();
    await addHook(run, '/repos/acme/widget', receiver.url, {}, { content_type: 'form', secret: 'f0rm' });
    const [d] = await run.sandbox.push('acme/widget', { commits: [{ message: 'Use <b> & ü' }] });
    const [req] = await receiver.waitFor(1);
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const json = new URLSearchParams(req?.body ?? '').get('payload') ?? '';
    expect(json).toBe(d?.payload);
    expect(JSON.parse(json).commits[0].message).toBe('Use <b> & ü\n');
    expect(req?.headers['x-gitea-signature']).toBe(hmacHex('sha256', 'f0rm', json));
    expect(req?.headers['x-gitea-signature']).not.toBe(hmacHex('sha256', 'f0rm', req?.body ?? ''));
  });

  it('a receiver answering 500 is not retried; any 2xx counts as success', async () => {
    let status = 500;
    const { run, receiver } = await setup({}, () => ({ status }));
    await addHook(run, '/repos/acme/widget', receiver.url);
    const [failed] = await run.sandbox.push('acme/widget');
    expect(failed).toMatchObject({ status: 500, error: null });
    status = 204;
    const [ok] = await run.sandbox.push('acme/widget');
    // The queue is serial: a retry of the first task would have arrived before the second task.
    const received = await receiver.waitFor(2);
    expect(received.map((r) => r.headers['x-gitea-delivery'])).toEqual([failed?.uuid, ok?.uuid]);
    expect(ok?.status).toBe(204);
    await run.sandbox.idle();
    expect(receiver.requests).toHaveLength(2);
  });

  it('a receiver that hangs past the timeout fails the delivery once, without retry', async () => {
    const { run, receiver } = await setup({ deliverTimeoutMs: 150 }, () => 'hang');
    await addHook(run, '/repos/acme/widget', receiver.url);
    const [d] = await run.sandbox.push('acme/widget');
    expect(d?.status).toBeNull();
    expect(d?.error).toMatch(/^Delivery: Post ".*\/hook": context deadline exceeded \(Client\.Timeout/);
    expect(d?.durationMs).toBeGreaterThanOrEqual(140);
    await run.sandbox.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(run.sandbox.deliveries).toHaveLength(1);
  });

  it('a refused connection is recorded as a failed delivery', async () => {
    const { run, receiver } = await setup();
    const url = receiver.url;
    await receiver.close();
    await addHook(run, '/repos/acme/widget', url);
    const [d] = await run.sandbox.push('acme/widget');
    expect(d).toMatchObject({ status: null });
    expect(d?.error).toMatch(/^Delivery: Post ".*": .*ECONNREFUSED/);
  });

  it('replay sends the same bytes with a new UUID to the hook as configured now', async () => {
    const { run, receiver } = await setup();
    const second = await startReceiver();
    cleanup.push(() => second.close());
    const hookId = await addHook(run, '/repos/acme/widget', receiver.url, {}, { secret: 'r3play' });
    const [original] = await run.sandbox.push('acme/widget');
    const patched = await run.api('PATCH', `/repos/acme/widget/hooks/${hookId}`, { config: { url: second.url }, events: ['push'] });
    expect(patched.status).toBe(200);
    const replayed = await run.sandbox.replay(original?.uuid ?? '');
    const [req] = await second.waitFor(1);
    expect(replayed.uuid).not.toBe(original?.uuid);
    expect(replayed.uuid).toMatch(UUID_V4);
    expect(req?.headers['x-gitea-delivery']).toBe(replayed.uuid);
    expect(req?.body).toBe(original?.body);
    expect(req?.headers['x-gitea-signature']).toBe(hmacHex('sha256', 'r3play', original?.body ?? ''));
    expect(run.sandbox.deliveries.map((d) => d.uuid)).toEqual([original?.uuid, replayed.uuid]);
    await expect(run.sandbox.replay('no-such-uuid')).rejects.toThrow(/no delivery/);
  });

  it('org hooks get every repository of the org, marked as organization, after the repo hooks', async () => {
    const { run, receiver } = await setup();
    await run.sandbox.addRepo('acme/gadget');
    await run.sandbox.addRepo('someone/else');
    const orgHook = await addHook(run, '/orgs/acme', `${receiver.url}?org`);
    const repoHook = await addHook(run, '/repos/acme/widget', `${receiver.url}?repo`);
    const widget = await run.sandbox.push('acme/widget');
    expect(widget.map((d) => [d.hookId, d.targetType, d.hookOwner])).toEqual([
      [repoHook, 'repository', 'acme/widget'],
      [orgHook, 'organization', 'acme'],
    ]);
    const gadget = await run.sandbox.push('acme/gadget');
    expect(gadget.map((d) => d.hookId)).toEqual([orgHook]);
    expect(await run.sandbox.push('someone/else')).toEqual([]);
    const received = await receiver.waitFor(3);
    expect(received.map((r) => [r.path, r.headers['x-gitea-hook-installation-target-type']])).toEqual([
      ['/hook?repo', 'repository'],
      ['/hook?org', 'organization'],
      ['/hook?org', 'organization'],
    ]);
    expect(received.map((r) => r.headers['x-github-hook-installation-target-type'])).toEqual(['repository', 'organization', 'organization']);
  });

  it('inactive, deleted and non-subscribed hooks get nothing', async () => {
    const { run, receiver } = await setup();
    await addHook(run, '/repos/acme/widget', `${receiver.url}?inactive`, { active: undefined });
    const deleted = await addHook(run, '/repos/acme/widget', `${receiver.url}?deleted`);
    await addHook(run, '/repos/acme/widget', `${receiver.url}?create-only`, { events: ['create'] });
    await addHook(run, '/repos/acme/widget', `${receiver.url}?active`);
    expect((await run.api('DELETE', `/repos/acme/widget/hooks/${deleted}`)).status).toBe(204);
    const deliveries = await run.sandbox.push('acme/widget');
    expect(deliveries.map((d) => d.url)).toEqual([`${receiver.url}?active`]);
    await run.sandbox.idle();
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hook?active']);
  });

  it('the branch filter uses v1.25 glob semantics on the branch name or the full ref', async () => {
    const { run, receiver } = await setup();
    const main = await addHook(run, '/repos/acme/widget', receiver.url, { branch_filter: 'main' });
    const feature = await addHook(run, '/repos/acme/widget', receiver.url, { branch_filter: 'feature/*' });
    const tags = await addHook(run, '/repos/acme/widget', receiver.url, { branch_filter: 'refs/tags/*' });
    const either = await addHook(run, '/repos/acme/widget', receiver.url, { branch_filter: '{main,release/*}' });
    const hooksOf = (ds: Array<{ hookId: number; event: string }>) => ds.map((d) => `${d.event}:${d.hookId}`);
    expect(hooksOf(await run.sandbox.push('acme/widget'))).toEqual([`push:${main}`, `push:${either}`]);
    expect(hooksOf(await run.sandbox.createBranch('acme/widget', 'feature/a/b'))).toEqual([`create:${feature}`, `push:${feature}`]);
    expect(hooksOf(await run.sandbox.createBranch('acme/widget', 'release/1.x'))).toEqual([`create:${either}`, `push:${either}`]);
    // v1.25: a filter like `main` now also drops tag events unless it matches refs/tags/...
    expect(hooksOf(await run.sandbox.pushTag('acme/widget', 'v1'))).toEqual([`push:${tags}`, `create:${tags}`]);
  });

  it('DISABLE_WEBHOOKS stops deliveries; onDelivery sees each delivery', async () => {
    const { run, receiver } = await setup();
    await addHook(run, '/repos/acme/widget', receiver.url);
    const seen: string[] = [];
    const off = run.sandbox.onDelivery((d) => seen.push(d.uuid));
    const [d] = await run.sandbox.push('acme/widget');
    off();
    await run.sandbox.push('acme/widget');
    expect(seen).toEqual([d?.uuid]);
    run.sandbox.setWebhooksDisabled(true);
    expect(await run.sandbox.push('acme/widget')).toEqual([]);
    run.sandbox.setWebhooksDisabled(false);
    expect(await run.sandbox.push('acme/widget')).toHaveLength(1);
  });
});
