// The innermost cause of a failed request, as an operator can act on it. undici's `fetch failed`
// hides the reason two levels down (`cause.code` ECONNREFUSED, `cause.message` "connect
// ECONNREFUSED 127.0.0.1:8448"); an AggregateError (IPv4 + IPv6 tried) holds one per address.

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let e: unknown = err;
  for (let i = 0; i < 6 && e !== null && e !== undefined; i++) {
    chain.push(e);
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/** E.g. `ECONNREFUSED 127.0.0.1:8448`, `ENOTFOUND matrix.example.com`, or the innermost message. */
export function networkCause(err: unknown): string {
  const chain = causes(err);
  let inner = chain.at(-1);
  const agg = (inner as { errors?: unknown[] } | undefined)?.errors;
  if (Array.isArray(agg) && agg.length > 0) inner = agg[0];
  const code = (inner as { code?: unknown } | null)?.code;
  const message = inner instanceof Error ? inner.message : String(inner);
  if (typeof code !== 'string') return message;
  // Node's messages read "connect ECONNREFUSED 127.0.0.1:8448": keep what follows the code.
  const at = message.indexOf(code);
  return at >= 0 ? message.slice(at) : `${code}: ${message}`;
}
