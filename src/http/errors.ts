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

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(kind: ErrorKind, detail: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(STATUS[kind], { error: kind, detail }, headers);
}
