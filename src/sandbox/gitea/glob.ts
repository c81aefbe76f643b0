// Gitea's webhook branch filter: gobwas/glob compiled WITHOUT separators (modules/glob), so `*`
// also crosses `/` (`feature/*` matches `feature/a/b`). Supported: `*`, `**`, `?`, `[abc]`,
// `[!abc]`, `[a-z]`, `{a,b}` (nestable) and `\` escapes. A malformed pattern throws, which the
// API maps to 422 the way Gitea's binding rule `GlobPattern` does.

export class GlobSyntaxError extends Error {}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function compileSeq(p: string, start: number, inBraces: boolean): { source: string; end: number } {
  let out = '';
  let i = start;
  while (i < p.length) {
    const c = p[i] as string;
    if (inBraces && (c === ',' || c === '}')) return { source: out, end: i };
    if (c === '*') {
      while (p[i + 1] === '*') i++;
      out += '[\\s\\S]*';
    } else if (c === '?') {
      out += '[\\s\\S]';
    } else if (c === '\\') {
      const next = p[i + 1];
      if (next === undefined) throw new GlobSyntaxError(`unexpected end of pattern after \\ in ${JSON.stringify(p)}`);
      out += next.replace(REGEX_SPECIAL, '\\$&');
      i++;
    } else if (c === '[') {
      const close = p.indexOf(']', i + 2);
      if (close < 0) throw new GlobSyntaxError(`unclosed [ in ${JSON.stringify(p)}`);
      let body = p.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else if (c === '{') {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = compileSeq(p, j, true);
        alternatives.push(part.source);
        if (part.end >= p.length) throw new GlobSyntaxError(`unclosed { in ${JSON.stringify(p)}`);
        j = part.end + 1;
        if (p[part.end] === '}') break;
      }
      out += `(?:${alternatives.join('|')})`;
      i = j - 1;
    } else {
      out += c.replace(REGEX_SPECIAL, '\\$&');
    }
    i++;
  }
  if (inBraces) throw new GlobSyntaxError(`unclosed { in ${JSON.stringify(p)}`);
  return { source: out, end: i };
}

/** Compile a glob to an anchored RegExp; throws GlobSyntaxError when malformed. */
export function compileGlob(pattern: string): RegExp {
  return new RegExp(`^${compileSeq(pattern, 0, false).source}$`);
}

/** The short name of a full ref (`refs/heads/x` -> `x`); anything else is returned unchanged. */
export function shortRefName(ref: string): string {
  for (const prefix of ['refs/heads/', 'refs/tags/']) if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  return ref;
}

/** v1.25 `checkBranchFilter`: empty, `*` and `**` pass everything; else the short name or full ref must match. */
export function branchFilterMatches(filter: string, fullRef: string): boolean {
  if (filter === '' || filter === '*' || filter === '**') return true;
  let re: RegExp;
  try {
    re = compileGlob(filter);
  } catch {
    return false;
  }
  return re.test(shortRefName(fullRef)) || re.test(fullRef);
}
