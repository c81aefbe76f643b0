// Which files a configuration consists of (monitor.yaml plus every `{file: …}` secret source) and
// one SHA-256 over their bytes: the reloader reloads only when this changes.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { analyse } from '../config/check.ts';
import { secretSources } from '../config/secrets.ts';
import type { MonitorConfig } from '../config/schema.types.ts';

export async function referencedFiles(configFile: string): Promise<string[]> {
  const files = [configFile];
  try {
    const a = analyse(await readFile(configFile, 'utf8'), configFile);
    if (a.problems.length === 0) {
      for (const { source } of secretSources(a.data as MonitorConfig)) if ('file' in source) files.push(resolve(dirname(configFile), source.file));
    }
  } catch {
    /* unreadable: the hash below says so */
  }
  return files;
}

/** null when the config file itself cannot be read (missing: keep the running config). */
export async function contentHash(files: string[]): Promise<string | null> {
  const h = createHash('sha256');
  for (const [i, f] of files.entries()) {
    try {
      h.update(f).update('\0').update(await readFile(f)).update('\0');
    } catch {
      if (i === 0) return null;
      h.update(f).update('\0missing\0');
    }
  }
  return h.digest('hex');
}

/** The folders to watch for `files` (editors replace a file by rename, Kubernetes swaps a `..data`
 * symlink: a watch on the file itself loses both). */
export function watchedFolders(files: string[]): string[] {
  return [...new Set(files.map((f) => resolve(dirname(f))))];
}

/** Whether a path a folder watch reports can change the config: a watched folder, one of `files`,
 * or a Kubernetes `..data` / `..<timestamp>` entry. Everything else in those folders — a log file,
 * the database, the state folder — is ignored before the watcher even stats it. */
export function concernsConfig(path: string, files: string[]): boolean {
  const p = resolve(path);
  return basename(p).startsWith('..') || watchedFolders(files).includes(p) || files.some((f) => resolve(f) === p);
}
