// One webhook HTTP request, as services/webhook/deliver.go sends it: the full header set, HMAC
// over the JSON bytes (also for form hooks), one total timeout, any 2xx is success, never retried.
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { goQueryEscape } from './go-encoding.ts';
import type { StoredHook } from './hooks.ts';

/** One attempted delivery, as the sandbox recorded it. */
export interface Delivery {
  uuid: string;
  hookId: number;
  /** `owner/repo` for a repository hook, the org login for an organization hook. */
  hookOwner: string;
  targetType: StoredHook['targetType'];
  event: string;
  url: string;
  /** Headers as sent, except Authorization, which is redacted the way Gitea's delivery log shows it. */
  requestHeaders: Record<string, string>;
  /** The exact request body (urlencoded for `form` hooks). */
  body: string;
  /** The JSON payload that was signed (equal to `body` for `json` hooks). */
  payload: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

const RESPONSE_LIMIT = 1024 * 1024; // Gitea reads at most 1 MiB of the response

function hmac(algorithm: 'sha256' | 'sha1', secret: string, payload: string): string {
  // An empty secret still yields headers, but with empty values (deliver.go only signs with a key).
  return secret === '' ? '' : createHmac(algorithm, secret).update(payload, 'utf8').digest('hex');
}

function redactAuthorization(value: string): string {
  for (const scheme of ['Bearer ', 'Basic ']) if (value.startsWith(scheme)) return `${scheme}******`;
  return '******';
}

export function buildRequest(hook: StoredHook, event: string, payload: string, uuid: string): { headers: Record<string, string>; body: string } {
  const body = hook.contentType === 'form' ? `payload=${goQueryEscape(payload)}` : payload;
  const sha256 = hmac('sha256', hook.secret, payload);
  const headers: Record<string, string> = {
    'User-Agent': 'Go-http-client/1.1',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': hook.contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
    'Accept-Encoding': 'gzip',
    'X-Gitea-Delivery': uuid,
    'X-Gitea-Event': event,
    'X-Gitea-Event-Type': event,
    'X-Gitea-Hook-Installation-Target-Type': hook.targetType,
    'X-Gitea-Signature': sha256,
    'X-Gogs-Delivery': uuid,
    'X-Gogs-Event': event,
    'X-Gogs-Event-Type': event,
    'X-Gogs-Signature': sha256,
    'X-GitHub-Delivery': uuid,
    'X-GitHub-Event': event,
    'X-GitHub-Event-Type': event,
    'X-GitHub-Hook-Installation-Target-Type': hook.targetType,
    'X-Hub-Signature': `sha1=${hmac('sha1', hook.secret, payload)}`,
    'X-Hub-Signature-256': `sha256=${sha256}`,
  };
  if (hook.authorizationHeader !== '') headers.Authorization = hook.authorizationHeader;
  return { headers, body };
}

interface Outcome { status: number | null; error: string | null }

function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, agents: Agents): Promise<Outcome> {
  return new Promise((resolve) => {
    const isHttps = url.protocol === 'https:';
    const request = (isHttps ? https : http).request(url, { method: 'POST', headers, agent: isHttps ? agents.https : agents.http });
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    // Go's http.Client.Timeout covers connecting, sending and reading the whole response.
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, error: `Delivery: Post "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    }, timeoutMs);
    request.on('error', (err) => finish({ status: null, error: `Delivery: Post "${url.href}": ${err.message}` }));
    request.on('response', (response) => {
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > RESPONSE_LIMIT) response.destroy();
      });
      response.on('close', () => finish({ status: response.statusCode ?? null, error: null }));
      response.on('error', () => finish({ status: response.statusCode ?? null, error: null }));
    });
    request.end(body);
  });
}

export interface Agents { http: http.Agent; https: https.Agent }

export function createAgents(): Agents {
  return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
}

/** Sends `payload` to the hook as it is configured now; a fresh UUID per call (replays included). */
export async function deliver(hook: StoredHook, event: string, payload: string, opts: { timeoutMs: number; agents: Agents; uuid?: string }): Promise<Delivery> {
  const uuid = opts.uuid ?? randomUUID();
  const { headers, body } = buildRequest(hook, event, payload, uuid);
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await post(new URL(hook.url), headers, body, opts.timeoutMs, opts.agents);
  } catch (err) {
    outcome = { status: null, error: `Delivery: ${(err as Error).message}` };
  }
  const recorded = { ...headers };
  if (recorded.Authorization !== undefined) recorded.Authorization = redactAuthorization(recorded.Authorization);
  return {
    uuid,
    hookId: hook.id,
    hookOwner: hook.owner,
    targetType: hook.targetType,
    event,
    url: hook.url,
    requestHeaders: recorded,
    body,
    payload,
    status: outcome.status,
    error: outcome.error,
    durationMs: Math.round(performance.now() - started),
  };
}
