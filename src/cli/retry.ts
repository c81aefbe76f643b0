// `monitor retry [-c FILE] RUN_ID`: queue a failed run's notices again. The running daemon picks
// them up within a second (its send loop looks for pending notices periodically).
import type { CliIO } from './io.ts';
import { parseCommandArgs } from './args.ts';
import { loadConfig } from '../config/load.ts';
import { openStore } from '../adapters/store/open.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  const a = parseCommandArgs(args, {});
  if ('error' in a || a.positionals.length !== 1) {
    io.stderr(`monitor retry: ${'error' in a ? a.error : 'expected one RUN_ID'}\nUsage: monitor retry [-c FILE] RUN_ID\n`);
    return 1;
  }
  const runId = a.positionals[0]!;
  const loaded = await loadConfig(String(a.values.config ?? 'monitor.yaml'), { env: io.env, cwd: io.cwd, resolveSecrets: (setting) => setting === 'runs.database' });
  if (!loaded.ok) {
    for (const p of loaded.problems) io.stderr(`${p.file}:${p.line}:${p.col} ${p.message}\n`);
    return 1;
  }
  const store = await openStore(loaded.config.runs.database);
  try {
    const found = await store.getRun(runId);
    if (!found) {
      io.stderr(`monitor retry: no run ${runId} (see \`monitor runs\`)\n`);
      return 1;
    }
    const n = await store.retryFailed(runId, Date.now());
    if (!n) {
      io.stderr(`monitor retry: run ${runId} has no failed notice (status ${found.status})\n`);
      return 1;
    }
    io.stdout(`queued ${n} notice${n === 1 ? '' : 's'} of ${runId} again; the daemon sends ${n === 1 ? 'it' : 'them'} within a second\n`);
    return 0;
  } finally {
    await store.close();
  }
}
