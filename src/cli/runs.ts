// `monitor runs [-c FILE] [--node ID] [--json]`: the recorded nodes and runs, newest first.
import type { CliIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { loadConfig } from '../config/load.ts';
import { openStore } from '../adapters/store/open.ts';
import { runsView, formatRunsText } from '../records/view.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  const a = parseCommandArgs(args, { node: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' } });
  if ('error' in a) {
    io.stderr(`monitor runs: ${a.error}\nUsage: monitor runs [-c FILE] [--node ID] [--json] [--limit N]\n`);
    return 1;
  }
  const file = String(a.values.config ?? 'monitor.yaml');
  // Records need no secrets: reading runs works on a machine without the daemon's credentials.
  const loaded = await loadConfig(file, { env: io.env, cwd: io.cwd, resolveSecrets: (setting) => setting === 'runs.database' });
  if (!loaded.ok) {
    for (const p of loaded.problems) io.stderr(`${p.file}:${p.line}:${p.col} ${p.message}\n`);
    return 1;
  }
  const store = await openStore(loaded.config.runs.database);
  try {
    const view = await runsView(store, { nodeId: a.values.node as string | undefined, limit: Number(a.values.limit ?? 50) });
    io.stdout(a.values.json ? JSON.stringify(view, null, 2) + '\n' : formatRunsText(view));
    return 0;
  } finally {
    await store.close();
  }
}
