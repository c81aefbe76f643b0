// Reads every page of a Gitea listing and proves it complete against X-Total-Count. Reconcile
// deletes hooks only after a complete listing, so "complete" must mean it: a total that moved
// between pages, a short count or a repeated item all make the listing incomplete.
import { GiteaError } from './errors.ts';
import type { Page } from './types.ts';

/** Gitea's [api] MAX_RESPONSE_ITEMS default: larger limits are clamped to it. */
export const PAGE_LIMIT = 50;
const MAX_PAGES = 10_000;

export async function listAll<T extends { id: number }>(
  fetchPage: (page: number, limit: number) => Promise<Page<T>>,
  what: string,
  limit = PAGE_LIMIT,
): Promise<T[]> {
  const byId = new Map<number, T>();
  let seen = 0;
  let total: number | null | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const got = await fetchPage(page, limit);
    if (total === undefined) total = got.total;
    else if (got.total !== total) {
      throw new GiteaError('incomplete', `the listing of ${what} changed while it was read (X-Total-Count ${total} then ${got.total})`);
    }
    for (const item of got.items) byId.set(item.id, item);
    seen += got.items.length;
    // Without X-Total-Count read until an empty page: a server with a smaller page cap would
    // otherwise look finished after its first (short) page.
    const done = total === null ? got.items.length === 0 : seen >= total || got.items.length === 0;
    if (!done) continue;
    if (total !== null && (seen !== total || byId.size !== total)) {
      throw new GiteaError('incomplete', `the listing of ${what} is incomplete: ${byId.size} distinct of ${total} (X-Total-Count)`);
    }
    return [...byId.values()];
  }
  throw new GiteaError('incomplete', `the listing of ${what} has more than ${MAX_PAGES} pages`);
}
