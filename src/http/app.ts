// The h3 app: the public webhook surface (receiver, health, metrics). The dashboard mounts its own
// routes under /ui/ with its own auth. Every error body is JSON {error, detail}.
import { H3, type H3Event } from 'h3';
import type { WebhookHandler } from './webhook.ts';
import { errorResponse, jsonResponse, toResponse } from './errors.ts';
import type { Registry } from 'prom-client';
import type { IncomingMessage } from 'node:http';

export interface HealthBody {
  status: 'ok' | 'degraded' | 'starting' | 'draining';
  version: string;
  config_hash: string;
  /** leader: processes, sends and reconciles; follower: receives and stores (several replicas). */
  role?: 'leader' | 'follower';
  repos: Array<{ repo: string; hook: 'ready' | 'pending' | 'error'; detail: string | null }>;
  rooms?: Array<{ room: string; state: string; detail: string | null }>;
  dashboard: string;
  reload?: { ok: boolean; at: string; error: string | null };
}

export interface AppDeps {
  /** POST /webhook/gitea (server.ts also calls it directly, without h3, for the same path). */
  webhook: WebhookHandler;
  health: () => Promise<HealthBody> | HealthBody;
  /** Readiness beyond the health body: can deliveries be stored right now? */
  storesReachable: () => Promise<string | null>;
  metrics: Registry;
  /** May this caller see health details (repos, rooms, errors)? Default: nobody. */
  healthDetails?: (event: H3Event) => boolean;
  mount?: (app: H3) => void;
}

/** What anyone may see: whether it works and which version answers, nothing about repos or rooms. */
export type PublicHealth = Pick<HealthBody, 'status' | 'version'>;

export function createApp(deps: AppDeps): H3 {
  const app = new H3({
    onError: (error) => {
      const status = (error as { status?: number }).status ?? 500;
      if (status === 404) return errorResponse('not_found', 'no such route');
      if (status === 405) return errorResponse('method_not_allowed', 'method not allowed');
      return jsonResponse(status, { error: status >= 500 ? 'internal' : 'bad_request', detail: status >= 500 ? 'internal error' : String((error as Error).message) });
    },
  });
  app.post('/webhook/gitea', async (event) => {
    const req = event.runtime?.node?.req as IncomingMessage | undefined;
    return req ? toResponse(await deps.webhook(req)) : errorResponse('internal', 'no node request');
  });
  app.all('/webhook/gitea', () => errorResponse('method_not_allowed', 'POST a Gitea delivery here', { allow: 'POST' }));
  const details = (event: H3Event) => deps.healthDetails?.(event) ?? false;
  app.get('/webhook/health', async (event) => {
    const h = await deps.health();
    const body: HealthBody | PublicHealth = details(event) ? h : { status: h.status, version: h.version };
    return jsonResponse(h.status === 'ok' || h.status === 'degraded' ? 200 : 503, body);
  });
  // Liveness (the process answers) and readiness (ready, and the records store answers), for probes.
  app.get('/-/healthy', () => jsonResponse(200, { status: 'alive' }));
  app.get('/-/ready', async (event) => {
    const h = await deps.health();
    const storeError = await deps.storesReachable();
    const ready = (h.status === 'ok' || h.status === 'degraded') && storeError === null;
    // The store's error may name its host: a detail like any other.
    return jsonResponse(ready ? 200 : 503, { ready, status: h.status, ...(storeError && details(event) ? { detail: storeError } : {}) });
  });
  app.get('/metrics', async () => new Response(await deps.metrics.metrics(), { headers: { 'content-type': deps.metrics.contentType } }));
  // Probes and scrapers may ask with HEAD: the GET answer without its body.
  for (const path of ['/webhook/health', '/-/healthy', '/-/ready', '/metrics']) {
    app.on('HEAD', path, async (event) => {
      const res = await app.fetch(new Request(event.req.url, { method: 'GET', headers: event.req.headers }));
      return new Response(null, { status: res.status, headers: res.headers });
    });
  }
  deps.mount?.(app);
  app.all('/**', () => errorResponse('not_found', 'no such route'));
  return app;
}
