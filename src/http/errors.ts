// The one place that knows HTTP statuses: domain outcomes -> status + JSON body {error, detail}.
export type ErrorKind = 'unauthorized' | 'forbidden' | 'timeout' | 'busy' | 'unavailable' | 'bad_request' | 'unsupported_media' | 'too_large' | 'draining' | 'not_found' | 'method_not_allowed' | 'internal';

export const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  timeout: 408,
  method_not_allowed: 405,
  too_large: 413,
  unsupported_media: 415,
  internal: 500,
  draining: 503,
  busy: 503,
  unavailable: 503,
};

import type { ServerResponse } from 'node:http';

/** An answer before it is a Response: the webhook route writes it straight to node:http (no web
 * Request/Response per delivery) and the h3 app turns it into a Response. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

export const jsonAnswer = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({ status, body, headers });
export const errorAnswer = (kind: ErrorKind, detail: string, headers: Record<string, string> = {}): Answer => jsonAnswer(STATUS[kind], { error: kind, detail }, headers);
export const toResponse = (a: Answer): Response => jsonResponse(a.status, a.body, a.headers);

/** The answer on node:http, with the same headers a Response from jsonResponse gets. */
export function writeAnswer(res: ServerResponse, a: Answer): void {
  const body = JSON.stringify(a.body);
  res.writeHead(a.status, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body), ...a.headers });
  res.end(body);
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(kind: ErrorKind, detail: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(STATUS[kind], { error: kind, detail }, headers);
}
