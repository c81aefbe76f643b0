// Readers for the files under deploy/: systemd units (INI-ish), Dockerfiles, and the facts a
// deployment's monitor.yaml fixes (listen port, drain timeout, secret files), checked with the
// project's own config checker.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkConfigText } from '../../src/config/load.ts';
import { DEFAULTS } from '../../src/config/config.ts';
import { splitListen } from '../../src/config/normalise.ts';
import { parseDuration } from '../../src/duration.ts';

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function read(rel: string): string {
  return readFileSync(ROOT + rel, 'utf8');
}

export function readYaml(rel: string): any {
  return parse(read(rel));
}

/** section -> key -> every value, in order (a key may repeat: LoadCredential=, ExecStart=). */
export type Unit = Map<string, Map<string, string[]>>;

export function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | null = null;
  // A trailing backslash continues a line (systemd.syntax(7)).
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 1) throw new Error(`unit line ${i + 1} is neither a section nor Key=value: ${line}`);
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return unit;
}

/** The last value of a key (later assignments override earlier ones), or undefined. */
export function unitValue(unit: Unit, section: string, key: string): string | undefined {
  return unit.get(section)?.get(key)?.at(-1);
}

export interface Instruction { keyword: string; args: string }

/** Dockerfile instructions with continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (pending !== '' && line.startsWith('#')) continue; // comments inside a continued instruction
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\S+)\s*(.*)$/.exec(full)!;
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]! });
  }
  return out;
}

/** `["a", "b"]` (exec form) -> ['a', 'b']; shell form -> null. */
export function execForm(args: string): string[] | null {
  if (!args.trim().startsWith('[')) return null;
  const v: unknown = JSON.parse(args);
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new Error(`not a JSON string array: ${args}`);
  return v as string[];
}

/** `ENV A=1 B=2` (one or several instructions) -> { A: '1', B: '2' }; quoted values unquoted. */
export function dockerEnv(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructions) {
    if (keyword !== 'ENV') continue;
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/** What a deployment's monitor.yaml fixes, and what the project's checker says about it. */
export interface MonitorFacts {
  problems: string[];
  listen: { host: string; port: number };
  drainMs: number;
  publicUrl: URL;
  /** Every `{ file: … }` secret source, as written. */
  secretFiles: string[];
  /** Settings whose secret is not a `{ file }` source, e.g. `gitea.token: env`. */
  nonFileSecrets: string[];
  database: string;
  state: { driver: string; base?: string; url?: string };
  raw: any;
}

export function monitorFacts(text: string, file: string): MonitorFacts {
  const raw = parse(text);
  const problems = checkConfigText(text, file).map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`);
  const sources: Array<[string, any]> = [
    ['gitea.token', raw.gitea?.token],
    ['webhook.secret', raw.webhook?.secret],
    ...((raw.webhook?.previous_secrets ?? []) as any[]).map((s, i): [string, any] => [`webhook.previous_secrets[${i}]`, s]),
    ['matrix.access_token', raw.matrix?.access_token],
    ...((raw.triggers ?? []) as any[]).map((t, i): [string, any] => [`triggers[${i}].secret`, t.secret]),
    ...(raw.dashboard?.auth ? [['dashboard.auth.token', raw.dashboard.auth.token] as [string, any]] : []),
  ];
  return {
    problems,
    listen: splitListen(raw.server?.listen ?? DEFAULTS.listen),
    drainMs: raw.server?.drain_timeout ? parseDuration(raw.server.drain_timeout) : DEFAULTS.drainTimeoutMs,
    publicUrl: new URL(raw.webhook.public_url),
    secretFiles: sources.filter(([, s]) => s && 'file' in s).map(([, s]) => s.file as string),
    nonFileSecrets: sources.filter(([, s]) => !s || !('file' in s)).map(([at, s]) => `${at}: ${Object.keys(s ?? {}).join()}`),
    database: raw.runs?.database ?? DEFAULTS.database,
    state: { driver: DEFAULTS.stateDriver, ...raw.state },
    raw,
  };
}

/** The port of an http URL, with the scheme's default. */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** The value after `-c` in an argument list (the config file the daemon reads). */
export function configArg(args: string[]): string | undefined {
  const i = args.indexOf('-c');
  return i >= 0 ? args[i + 1] : undefined;
}

/** Every object key named `key` anywhere in a parsed document, with its path. */
export function findKeys(doc: unknown, key: string, path = '$'): string[] {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => findKeys(v, key, `${path}[${i}]`));
  if (doc && typeof doc === 'object') {
    return Object.entries(doc).flatMap(([k, v]) => [...(k === key ? [`${path}.${k}`] : []), ...findKeys(v, key, `${path}.${k}`)]);
  }
  return [];
}
