// The API's response conventions (services/context/api.go, base.go, routers/api/v1/utils/page.go):
// compact JSON with a trailing newline, the error bodies, and the pagination headers.
import { encodeCompact, goQueryEscape } from './go-encoding.ts';

const JSON_TYPE = 'application/json;charset=utf-8';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(encodeCompact(value), { status, headers: { 'Content-Type': JSON_TYPE, ...headers } });
}

/** A failed API call; only the route wrapper turns it into a Response. */
export class ApiError extends Error {
  readonly status: number;
  readonly notFound: boolean;
  constructor(status: number, message: string, notFound = false) {
    super(message);
    this.status = status;
    this.notFound = notFound;
  }
}

/** `APIErrorNotFound`: `{"errors":null,"message":…,"url":…}` (a Go map, hence sorted keys). */
export const notFound = (message = 'not found') => new ApiError(404, message, true);

export function errorResponse(root: string, err: ApiError): Response {
  const url = `${root}api/swagger`;
  const body = err.notFound ? { errors: null, message: err.message, url } : { message: err.message, url };
  return jsonResponse(err.status, body);
}

/** Go's `ctx.FormInt`: anything that is not an integer reads as 0. */
function formInt(query: URLSearchParams, key: string): number {
  const raw = query.get(key) ?? '';
  return /^[+-]?\d+$/.test(raw) ? Number.parseInt(raw, 10) : 0;
}

export interface ListOptions { page: number; limit: number; rawPage: number }

/** `GetListOptions` + `ToCorrectPageSize`: page is 1-based; limit defaults to 30 and is capped at 50. */
export function listOptions(query: URLSearchParams): ListOptions {
  const rawPage = formInt(query, 'page');
  const requested = formInt(query, 'limit');
  const limit = requested <= 0 ? 30 : Math.min(requested, 50);
  return { page: Math.max(1, rawPage), limit, rawPage };
}

export function pageItems<T>(items: T[], opts: ListOptions): T[] {
  const start = (opts.page - 1) * opts.limit;
  return items.slice(start, start + opts.limit);
}

/** `genAPILinks`: the request's own query with `page` replaced, keys sorted, joined by "," (no space). */
export function linkHeader(root: string, url: URL, total: number, opts: ListOptions): string {
  const pages = Math.max(1, Math.ceil(total / opts.limit));
  const current = Math.min(Math.max(1, opts.rawPage), pages);
  const link = (page: number, rel: string) => {
    const query = new Map<string, string[]>();
    for (const [k, v] of url.searchParams) query.set(k, [...(query.get(k) ?? []), v]);
    query.set('page', [String(page)]);
    const encoded = [...query.keys()].sort().flatMap((k) => (query.get(k) ?? []).map((v) => `${goQueryEscape(k)}=${goQueryEscape(v)}`)).join('&');
    return `<${root}${url.pathname.slice(1)}?${encoded}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (current < pages) links.push(link(current + 1, 'next'), link(pages, 'last'));
  if (current > 1) links.push(link(1, 'first'), link(current - 1, 'prev'));
  return links.join(',');
}

/** `SetTotalCountHeader` (and `SetLinkHeader` when `link` is given, empty links are omitted). */
export function pageHeaders(total: number, link?: string): Record<string, string> {
  const headers: Record<string, string> = { 'X-Total-Count': String(total), 'Access-Control-Expose-Headers': link ? 'Link, X-Total-Count' : 'X-Total-Count' };
  if (link) headers.Link = link;
  return headers;
}
