// Glob syntax as the router will compile it (picomatch), checked strictly: an unbalanced
// bracket, brace or parenthesis is a typo that would otherwise silently match literally.
import picomatch from 'picomatch';

const OPENER: Record<string, string> = { ']': '[', '}': '{', ')': '(' };
const CLOSER: Record<string, string> = { '[': ']', '{': '}', '(': ')' };

/** Why `glob` is not a usable glob, or null when it is. */
export function globError(glob: string): string | null {
  if (glob.trim() === '') return 'is an empty glob';
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
    return null;
  } catch (e) {
    // picomatch says `Missing closing: "]" - use "\\]" ...` (a JS literal); say it in glob terms.
    const m = /Missing (opening|closing): "(.)"/.exec((e as Error).message);
    if (!m) return `is not a valid glob: ${(e as Error).message}`;
    const opener = CLOSER[m[2]!] ? m[2]! : (OPENER[m[2]!] ?? m[2]!);
    const closer = CLOSER[opener] ?? opener;
    return m[1] === 'closing'
      ? `is not a valid glob: "${opener}" is never closed by "${closer}" (write \\${opener} for a literal "${opener}")`
      : `is not a valid glob: "${closer}" has no opening "${opener}" (write \\${closer} for a literal "${closer}")`;
  }
}

/** The owner of an `owner/name` rule when it is a plain name, null when it is a glob (or missing). */
export function plainOwner(match: string): string | null {
  const owner = match.split('/')[0] ?? '';
  return owner !== '' && !picomatch.scan(owner).isGlob ? owner : null;
}
