// Loads the config for a command, printing problems as FILE:LINE:COL and returning null on failure.
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/config.ts';
import type { CliIO } from './io.ts';

export async function loadForCommand(file: string, io: CliIO): Promise<Config | null> {
  const r = await loadConfig(file, { env: io.env, cwd: io.cwd, resolveSecrets: true });
  if (r.ok) return r.config;
  for (const p of r.problems) io.stderr(`${p.file}:${p.line}:${p.col} ${p.message}\n`);
  return null;
}
