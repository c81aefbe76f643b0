// The stand-in's REST API against Gitea's contract: auth, error bodies, swagger shapes, the hook
// API's (surprising) semantics, the test endpoint and fault injection. Pagination: gitea-api-pagination.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receiver, Running } from './gitea/helpers.ts';
import { READ_TOKEN, TOKEN, addHook, fixture, startReceiver, startSandbox } from './gitea/helpers.ts';
import { swaggerErrors } from './gitea/swagger.ts';

const HOOK_URL = 'https://daemon.example/hook';

describe('gitea stand-in API', () => {
  let run: Running;
  let swagger: string;
  beforeEach(async () => {
    run = await startSandbox({ now: () => new Date('2024-05-05T14:00:00.123Z') });
    swagger = `${run.url}/api/swagger`;
    run.sandbox.addOrg('acme');
    await run.sandbox.addRepo('acme/widget');
  });
  afterEach(() => run.close());

  const create = (body: Record<string, unknown>, base = '/repos/acme/widget') => run.api('POST', `${base}/hooks`, body);
  const minimal = { type: 'gitea', config: { url: HOOK_URL, content_type: 'json', secret: 'top-secret' } };

  describe('authentication and errors', () => {
    it('requires a token, rejects a wrong one, and accepts token/Bearer in any case', async () => {
      const none = await run.api('GET', '/repos/acme/widget', undefined, null);
      expect(none.status).toBe(401);
      expect(none.text).toBe(`{"message":"token is required","url":"${swagger}"}\n`);
      expect(none.headers.get('content-type')).toBe('application/json;charset=utf-8');
      const wrong = await run.api('GET', '/repos/acme/widget', undefined, 'nope');
      expect(wrong.status).toBe(401);
      expect(wrong.json).toEqual({ message: 'invalid username, password or token', url: swagger });
      for (const scheme of ['token', 'Token', 'bearer', 'BEARER']) {
        const res = await fetch(`${run.url}/api/v1/repos/acme/widget`, { headers: { Authorization: `${scheme} ${TOKEN}` } });
        expect(res.status, scheme).toBe(200);
      }
      expect((await run.api('GET', '/version', undefined, null)).json).toEqual({ version: '1.25.4' });
    });

    it('a read-only token can read but not write', async () => {
      expect((await run.api('GET', '/repos/acme/widget/hooks', undefined, READ_TOKEN)).status).toBe(200);
      const res = await run.api('POST', '/repos/acme/widget/hooks', minimal, READ_TOKEN);
      expect(res.status).toBe(403);
      expect(res.status).toBe(403);
      expect((res.json as { message: string }).message).toMatch(/^token does not have at least one of required scope\(s\), required=\[write:repository\], token scope=read:activitypub,read:admin,/);
    });

    it('checks token scopes the way Gitea does: read for GET, write for the rest, write implies read, per category', async () => {
      await run.close();
      run = await startSandbox({ tokenScope: 'write:repository', tokens: { 'org-reader': 'read:organization', 'pub-all': 'public-only,all' } });
      run.sandbox.addOrg('acme');
      await run.sandbox.addRepo('acme/widget');
      swagger = `${run.url}/api/swagger`;
      // Gitea's message names what the route needs and what the token holds (routers/api/v1/api.go).
      const listing = await run.api('GET', '/orgs/acme/repos');
      expect(listing.status).toBe(403);
      expect(listing.text).toBe(`{"message":"token does not have at least one of required scope(s), required=[read:organization], token scope=write:repository","url":"${swagger}"}\n`);
      expect((await run.api('GET', '/repos/acme/widget/hooks')).status).toBe(200); // write:repository implies read
      expect((await run.api('POST', '/repos/acme/widget/hooks', minimal)).status).toBe(201);
      expect((await run.api('GET', '/orgs/acme/repos', undefined, 'org-reader')).status).toBe(200);
      const orgHook = await run.api('POST', '/orgs/acme/hooks', minimal, 'org-reader');
      expect(orgHook.json).toEqual({ message: 'token does not have at least one of required scope(s), required=[write:organization], token scope=read:organization', url: swagger });
      expect((await run.api('GET', '/repos/acme/widget', undefined, 'org-reader')).status).toBe(403);
      expect((await run.api('POST', '/orgs/acme/hooks', minimal, 'pub-all')).status).toBe(201);
    });

    it('404 bodies carry errors:null; unknown routes are 404 too', async () => {
      for (const path of ['/repos/acme/nothing', '/repos/acme/widget/hooks/999', '/orgs/nobody/hooks', '/no/such/route']) {
        const res = await run.api('GET', path);
        expect(res.status, path).toBe(404);
        expect(res.text, path).toBe(`{"errors":null,"message":"not found","url":"${swagger}"}\n`);
      }
    });

    it('failNext injects failures for matching calls, and apiCalls records every call', async () => {
      run.sandbox.failNext('GET', /^\/api\/v1\/repos\/acme\/widget$/, 503, 2);
      expect((await run.api('GET', '/repos/acme/widget')).status).toBe(503);
      expect((await run.api('GET', '/repos/acme/widget')).status).toBe(503);
      expect((await run.api('GET', '/repos/acme/widget')).status).toBe(200);
      expect(run.sandbox.apiCalls.slice(-3)).toEqual([
        { method: 'GET', path: '/api/v1/repos/acme/widget', status: 503 },
        { method: 'GET', path: '/api/v1/repos/acme/widget', status: 503 },
        { method: 'GET', path: '/api/v1/repos/acme/widget', status: 200 },
      ]);
    });
  });

  describe('shapes validate against Gitea swagger (strict: all fields, nothing extra)', () => {
    it('Hook, Repository, Branch, Organization, ServerVersion', async () => {
      const hook = await create({ ...minimal, active: true, events: ['push', 'issues'], authorization_header: 'Bearer x' });
      expect(swaggerErrors('StrictHook', hook.json)).toBeNull();
      expect(swaggerErrors('StrictRepository', (await run.api('GET', '/repos/acme/widget')).json)).toBeNull();
      const list = (await run.api('GET', '/orgs/acme/repos')).json as unknown[];
      expect(swaggerErrors('StrictRepository', list[0])).toBeNull();
      const branches = (await run.api('GET', '/repos/acme/widget/branches')).json as unknown[];
      expect(swaggerErrors('StrictBranch', branches[0])).toBeNull();
      expect(swaggerErrors('StrictOrganization', (await run.api('GET', '/orgs/acme')).json)).toBeNull();
      expect(swaggerErrors('StrictServerVersion', (await run.api('GET', '/version')).json)).toBeNull();
      expect(swaggerErrors('User', (await run.api('GET', '/user')).json)).toBeNull();
      // The validator is not over-strict: Gitea's own bodies pass it ...
      expect(swaggerErrors('StrictRepository', JSON.parse(fixture('push-api-test.json')).repository)).toBeNull();
      // ... and it can fail: a stray field is rejected.
      expect(swaggerErrors('StrictHook', { ...(hook.json as object), secret: 'x' })).toMatch(/additional properties/);
    });

    it('Hook JSON is Gitea\'s: key order, compact with newline, timestamps in whole seconds, no secret', async () => {
      const res = await create({ ...minimal, active: true });
      expect(res.status).toBe(201);
      expect(res.text).toMatch(/^\{"id":\d+,"type":"gitea","branch_filter":"","config":\{"content_type":"json","url":"https:\/\/daemon.example\/hook"\},"events":\["push"\],"authorization_header":"","active":true,"updated_at":"2024-05-05T14:00:00Z","created_at":"2024-05-05T14:00:00Z"\}\n$/);
      expect(res.text).not.toContain('top-secret');
    });
  });

  describe('hook API semantics (FACTS §4.2)', () => {
    it('active defaults to false and omitted events mean push; duplicates are allowed', async () => {
      const a = await create(minimal);
      const b = await create(minimal);
      expect(a.json).toMatchObject({ active: false, events: ['push'], branch_filter: '' });
      expect((b.json as { id: number }).id).not.toBe((a.json as { id: number }).id);
      const list = await run.api('GET', '/repos/acme/widget/hooks');
      expect((list.json as unknown[]).length).toBe(2);
      expect(list.headers.get('x-total-count')).toBe('2');
      expect(list.headers.get('link')).toBeNull();
    });

    it('group names expand (issues, pull_request), names are case-insensitive, unknown names are ignored', async () => {
      const res = await create({ ...minimal, events: ['ISSUES', 'Push', 'bogus', 'pull_request_review'] });
      expect(new Set((res.json as { events: string[] }).events)).toEqual(new Set([
        'push', 'issues', 'issue_assign', 'issue_label', 'issue_milestone', 'issue_comment',
        'pull_request_review_approved', 'pull_request_review_rejected', 'pull_request_review_comment',
      ]));
    });

    it('events come back in (injected) random order', async () => {
      const orders: string[][] = [];
      for (const random of [() => 0, () => 0.999]) {
        const other = await startSandbox({ random });
        other.sandbox.addOrg('acme');
        await other.sandbox.addRepo('acme/widget');
        const res = await other.api('POST', '/repos/acme/widget/hooks', { ...minimal, events: ['pull_request'] });
        orders.push((res.json as { events: string[] }).events);
        await other.close();
      }
      expect(orders[0]).not.toEqual(orders[1]);
      expect(new Set(orders[0])).toEqual(new Set(orders[1]));
      expect(orders[0]).toHaveLength(10);
    });

    it('PATCH replaces events, branch_filter and authorization_header, keeps active unless given, ignores config.secret', async () => {
      const created = await create({ ...minimal, active: true, events: ['push', 'create'], branch_filter: 'main', authorization_header: 'Bearer a' });
      const id = (created.json as { id: number }).id;
      const patched = await run.api('PATCH', `/repos/acme/widget/hooks/${id}`, { config: { secret: 'changed', url: 'http://other.example/x' } });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ events: ['push'], branch_filter: '', authorization_header: '', active: true, config: { url: 'http://other.example/x', content_type: 'json' } });
      expect(run.sandbox.hooks('acme/widget')[0]?.secret).toBe('top-secret');
      const off = await run.api('PATCH', `/repos/acme/widget/hooks/${id}`, { active: false, events: ['release'] });
      expect(off.json).toMatchObject({ active: false, events: ['release'] });
      expect((await run.api('GET', `/repos/acme/widget/hooks/${id}`)).json).toEqual(off.json);
    });

    it('DELETE answers 204, then the hook is 404', async () => {
      const id = (await create(minimal)).json as { id: number };
      const del = await run.api('DELETE', `/repos/acme/widget/hooks/${id.id}`);
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await run.api('DELETE', `/repos/acme/widget/hooks/${id.id}`)).status).toBe(404);
    });

    it.each([
      [{ config: minimal.config }, 'Type: Required'],
      [{ type: 'gitea' }, 'Config: Required'],
      [{ type: 'jenkins', config: minimal.config }, 'Invalid hook type: jenkins'],
      [{ type: 'gitea', config: { content_type: 'json' } }, 'Missing config option: url'],
      [{ type: 'gitea', config: { url: HOOK_URL } }, 'Missing config option: content_type'],
      [{ type: 'gitea', config: { url: HOOK_URL, content_type: 'xml' } }, 'Invalid content type'],
      [{ type: 'gitea', config: { url: 'ftp://x.example/', content_type: 'json' } }, 'Invalid url'],
      [{ type: 'gitea', config: { url: 'not a url', content_type: 'json' } }, 'Invalid url'],
      [{ ...minimal, branch_filter: '[main' }, 'BranchFilter: GlobPattern'],
    ])('422 for %j: %s', async (body, message) => {
      const res = await create(body);
      expect(res.status).toBe(422);
      expect(res.json).toEqual({ message, url: swagger });
    });

    it('PATCH validates url and content_type', async () => {
      const id = ((await create(minimal)).json as { id: number }).id;
      expect((await run.api('PATCH', `/repos/acme/widget/hooks/${id}`, { config: { url: 'gopher://x' } })).json).toEqual({ message: 'Invalid url', url: swagger });
      expect((await run.api('PATCH', `/repos/acme/widget/hooks/${id}`, { config: { content_type: 'yaml' } })).json).toEqual({ message: 'Invalid content type', url: swagger });
    });

    it('org hooks have the same CRUD semantics; a user is not an org', async () => {
      const created = await create({ ...minimal, active: true }, '/orgs/acme');
      expect(created.status).toBe(201);
      const id = (created.json as { id: number }).id;
      expect(run.sandbox.orgHooks('acme').map((h) => [h.id, h.secret, h.targetType])).toEqual([[id, 'top-secret', 'organization']]);
      expect((await run.api('GET', '/orgs/acme/hooks')).headers.get('x-total-count')).toBe('1');
      expect((await run.api('PATCH', `/orgs/acme/hooks/${id}`, { events: ['create'] })).json).toMatchObject({ events: ['create'], active: true });
      expect((await run.api('GET', `/repos/acme/widget/hooks/${id}`)).status).toBe(404);
      expect((await run.api('DELETE', `/orgs/acme/hooks/${id}`)).status).toBe(204);
      run.sandbox.addUser('dora');
      expect((await run.api('GET', '/orgs/dora/hooks')).status).toBe(404);
      expect((await run.api('GET', '/orgs/dora')).status).toBe(404);
    });

    it('DISABLE_WEBHOOKS: hook routes answer 403, other routes still work', async () => {
      run.sandbox.setWebhooksDisabled(true);
      for (const [method, path] of [['GET', '/repos/acme/widget/hooks'], ['POST', '/repos/acme/widget/hooks'], ['GET', '/orgs/acme/hooks']] as const) {
        const res = await run.api(method, path, method === 'POST' ? minimal : undefined);
        expect(res.status).toBe(403);
        expect(res.json).toEqual({ message: 'webhooks disabled by administrator', url: swagger });
      }
      expect((await run.api('GET', '/repos/acme/widget')).status).toBe(200);
    });
  });

  describe('the hook test endpoint', () => {
    let receiver: Receiver;
    beforeEach(async () => {
      receiver = await startReceiver();
    });
    afterEach(() => receiver.close());

    it('delivers a push of the ref\'s commit with before == after and the raw ref', async () => {
      await run.sandbox.createBranch('acme/widget', 'feature', { commits: 1 });
      const id = await addHook(run, '/repos/acme/widget', receiver.url);
      const res = await run.api('POST', `/repos/acme/widget/hooks/${id}/tests?ref=feature`);
      expect(res.status).toBe(204);
      const [req] = await receiver.waitFor(1);
      const p = JSON.parse(req?.body ?? '{}');
      const head = run.sandbox.branchHeads('acme/widget').feature;
      expect(p).toMatchObject({ ref: 'feature', before: head, after: head, total_commits: 1 });
      expect(p.commits[0].verification).toMatchObject({ verified: false, reason: 'gpg.error.not_signed_commit' });
      expect(p.repository.permissions).toEqual({ admin: false, push: false, pull: false });
    });

    it('answers 204 but delivers nothing for an inactive hook; 404 for an empty repo, an unknown ref or hook', async () => {
      const inactive = await addHook(run, '/repos/acme/widget', receiver.url, { active: false });
      expect((await run.api('POST', `/repos/acme/widget/hooks/${inactive}/tests`)).status).toBe(204);
      await run.sandbox.idle();
      expect(receiver.requests).toHaveLength(0);
      const unknownRef = await run.api('POST', `/repos/acme/widget/hooks/${inactive}/tests?ref=nope`);
      expect(unknownRef.json).toEqual({ errors: null, message: 'unable to find a git ref', url: swagger });
      expect((await run.api('POST', '/repos/acme/widget/hooks/4242/tests')).status).toBe(404);
      await run.sandbox.addRepo('acme/blank', { empty: true });
      const id = await addHook(run, '/repos/acme/blank', receiver.url);
      const empty = await run.api('POST', `/repos/acme/blank/hooks/${id}/tests`);
      expect(empty.status).toBe(404);
      expect(empty.json).toEqual({ errors: null, message: 'repository is empty', url: swagger });
    });
  });
});
