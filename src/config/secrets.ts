// Secret sources: `{env: NAME}`, `{file: path}`, `{pass: path}` -> Secret. A failure names the
// setting and the source (variable, file, pass path), never a value.
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Secret } from '../secret.ts';
import type { Path } from './path.ts';
import type { MonitorConfig, SecretSource } from './schema.types.ts';

const execFileAsync = promisify(execFile);

export interface SecretContext {
  env: Record<string, string | undefined>;
  /** Folder that relative `{file: ...}` paths start from (the config file's folder). */
  dir: string;
  /** The pass executable (default `pass`, looked up on env.PATH). */
  passCommand?: string;
  /** How long `pass show` may take (gpg may wait for a passphrase nobody types). */
  passTimeoutMs?: number;
}

export type SecretResult = { ok: true; secret: Secret } | { ok: false; message: string };

/** Every secret source in the file with its setting path, in file order. */
export function secretSources(cfg: MonitorConfig): Array<{ path: Path; source: SecretSource }> {
  const out: Array<{ path: Path; source: SecretSource }> = [
    { path: ['gitea', 'token'], source: cfg.gitea.token },
    { path: ['webhook', 'secret'], source: cfg.webhook.secret },
  ];
  (cfg.webhook.previous_secrets ?? []).forEach((source, i) => out.push({ path: ['webhook', 'previous_secrets', i], source }));
  if (cfg.matrix.access_token) out.push({ path: ['matrix', 'access_token'], source: cfg.matrix.access_token });
  if (cfg.matrix.password) out.push({ path: ['matrix', 'password'], source: cfg.matrix.password });
  if (cfg.matrix.crypto_store) out.push({ path: ['matrix', 'crypto_store', 'passphrase'], source: cfg.matrix.crypto_store.passphrase });
  (cfg.triggers ?? []).forEach((t, i) => out.push({ path: ['triggers', i, 'secret'], source: t.secret }));
  if (cfg.dashboard?.auth) out.push({ path: ['dashboard', 'auth', 'token'], source: cfg.dashboard.auth.token });
  // Connection URLs may come from a secret source (a Redis or PostgreSQL password).
  if (typeof cfg.runs?.database === 'object') out.push({ path: ['runs', 'database'], source: cfg.runs.database });
  if (typeof cfg.state?.url === 'object') out.push({ path: ['state', 'url'], source: cfg.state.url });
  return out;
}

/** Reads one secret; `setting` (e.g. `gitea.token`) starts the error message. */
export async function resolveSecret(source: SecretSource, setting: string, ctx: SecretContext): Promise<SecretResult> {
  if ('env' in source) return fromEnv(source.env, setting, ctx);
  if ('file' in source) return fromFile(source.file, setting, ctx);
  return fromPass(source.pass, setting, ctx);
}

function fromEnv(name: string, setting: string, ctx: SecretContext): SecretResult {
  const value = ctx.env[name];
  if (value === undefined) return { ok: false, message: `${setting}: environment variable ${name} is not set` };
  if (value === '') return { ok: false, message: `${setting}: environment variable ${name} is empty` };
  return { ok: true, secret: new Secret(value) };
}

async function fromFile(file: string, setting: string, ctx: SecretContext): Promise<SecretResult> {
  let text: string;
  try {
    text = await readFile(resolve(ctx.dir, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : (code ?? 'unreadable');
    return { ok: false, message: `${setting}: cannot read secret file ${file} (${why})` };
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') return { ok: false, message: `${setting}: secret file ${file} is empty` };
  return { ok: true, secret: new Secret(value) };
}

/**
 * `pass show <folder>` prints the folder's name and a tree of its entries, and exits 0: its first
 * line would become the "secret" (a name that is public in monitor.yaml). A path that names a
 * folder of the store (and no entry) is an error instead.
 */
async function folderError(path: string, setting: string, ctx: SecretContext): Promise<string | null> {
  const store = ctx.env.PASSWORD_STORE_DIR ?? (ctx.env.HOME ? join(ctx.env.HOME, '.password-store') : null);
  if (!store) return null;
  const entry = await stat(join(store, `${path.replace(/\/+$/, '')}.gpg`)).catch(() => null);
  if (entry?.isFile()) return null;
  const folder = await stat(join(store, path)).catch(() => null);
  if (!folder?.isDirectory()) return null;
  const inside = (await readdir(join(store, path)).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).map((n) => n.replace(/\.gpg$/, ''));
  const shown = inside.slice(0, 5).join(', ') + (inside.length > 5 ? ', …' : '');
  return `${setting}: pass path ${path} is a folder of the password store, not an entry${shown ? ` (it holds: ${shown})` : ''}`;
}

async function fromPass(path: string, setting: string, ctx: SecretContext): Promise<SecretResult> {
  const folder = await folderError(path, setting, ctx);
  if (folder) return { ok: false, message: folder };
  const command = ctx.passCommand ?? 'pass';
  const timeout = ctx.passTimeoutMs ?? 30_000;
  let stdout: string;
  try {
    // No shell: the path is an argument, never interpreted. The environment goes through whole,
    // so PASSWORD_STORE_DIR, GNUPGHOME and the gpg-agent socket reach pass and gpg.
    ({ stdout } = await execFileAsync(command, ['show', path], { env: ctx.env, timeout, maxBuffer: 1024 * 1024, encoding: 'utf8' }));
  } catch (e) {
    return { ok: false, message: `${setting}: pass show ${path} failed: ${passFailure(e as PassError, command, timeout)}` };
  }
  const value = (stdout.split('\n')[0] ?? '').replace(/\r$/, '');
  if (value === '') return { ok: false, message: `${setting}: pass entry ${path} is empty` };
  return { ok: true, secret: new Secret(value) };
}

interface PassError extends Error { code?: string | number; killed?: boolean; stderr?: string }

/** Why pass failed, from its stderr (pass and gpg print paths and reasons there, never the secret). */
function passFailure(e: PassError, command: string, timeout: number): string {
  if (e.code === 'ENOENT') return `command "${command}" not found`;
  if (e.killed) return `no answer within ${timeout / 1000}s (is gpg waiting for a passphrase?)`;
  const lines = (e.stderr ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1);
  if (!last) return `exit code ${String(e.code)}`;
  return last.length > 200 ? last.slice(0, 199) + '…' : last;
}
