// loadConfig: the one way to turn monitor.yaml into a Config. Reads the file, checks it
// (check.ts), resolves the secret sources (secrets.ts) and normalises (normalise.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Secret } from '../secret.ts';
import { analyse } from './check.ts';
import type { Config } from './config.ts';
import { normalise } from './normalise.ts';
import { formatPath } from './path.ts';
import type { Problem } from './problem.ts';
import type { MonitorConfig } from './schema.types.ts';
import { resolveSecret, secretSources } from './secrets.ts';

export type { Problem } from './problem.ts';

export type LoadResult =
  | { ok: true; config: Config; problems: [] }
  | { ok: false; problems: Problem[]; unreadable?: boolean };

export interface LoadOptions {
  env: Record<string, string | undefined>;
  /** Folder a relative `file` starts from. */
  cwd: string;
  /** False: check only, every secret becomes an empty placeholder (`validate` without --resolve);
   * a function: resolve only the settings it accepts (`runs` needs runs.database, nothing else). */
  resolveSecrets: boolean | ((setting: string) => boolean);
  /** The pass executable (default `pass`). */
  passCommand?: string;
}

/** Problems of monitor.yaml text (YAML, schema, meaning); pure: no secrets, no I/O. */
export function checkConfigText(text: string, file: string): Problem[] {
  return analyse(text, file).problems;
}

/** Problems carry `file` as given; the Config carries its absolute path. */
export async function loadConfig(file: string, opts: LoadOptions): Promise<LoadResult> {
  const path = resolve(opts.cwd, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, unreadable: true, problems: [{ file, line: 1, col: 1, message: `cannot read: ${readError(e)}` }] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problems: [{ file, line: 1, col: 1, message: 'is not UTF-8 text' }] };
  }
  const { problems, data, yaml } = analyse(text, file);
  if (problems.length > 0) return { ok: false, problems };

  const raw = data as MonitorConfig;
  const dir = dirname(path);
  const secrets = new Map<string, Secret>();
  const wanted = (setting: string) => (typeof opts.resolveSecrets === 'function' ? opts.resolveSecrets(setting) : opts.resolveSecrets);
  const failed: Problem[] = [];
  const sources = secretSources(raw).filter((s) => wanted(formatPath(s.path)));
  const ctx = { env: opts.env, dir, ...(opts.passCommand ? { passCommand: opts.passCommand } : {}) };
  const results = await Promise.all(sources.map((s) => resolveSecret(s.source, formatPath(s.path), ctx)));
  results.forEach((r, i) => {
    const { path: at } = sources[i]!;
    if (r.ok) secrets.set(formatPath(at), r.secret);
    else failed.push({ file, ...yaml.place({ path: at, message: r.message }) });
  });
  if (failed.length > 0) return { ok: false, problems: failed };
  const config = normalise(raw, {
    file: path,
    dir,
    hash: createHash('sha256').update(bytes).digest('hex'),
    secret: (at) => secrets.get(formatPath(at)) ?? placeholder(wanted(formatPath(at)), formatPath(at)),
  });
  return { ok: true, config, problems: [] };
}

function placeholder(resolved: boolean, setting: string): Secret {
  if (resolved) throw new Error(`bug: secret ${setting} was not resolved`);
  return new Secret('');
}

function readError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? String(e);
}
