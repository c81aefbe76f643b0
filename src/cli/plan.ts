// `monitor plan [-c FILE] [--json]`: what apply would change on Gitea. Reads only.
// Exit 0 in sync, 2 changes, 1 error (including an incomplete listing).
import { giteaClientFor } from '../adapters/gitea/client.ts';
import { formatPlanJson, formatPlanText } from '../reconcile/format.ts';
import { computePlan } from '../reconcile/run.ts';
import { createStateStorage } from '../adapters/state/storage.ts';
import { parseCommandArgs } from './args.ts';
import type { CliIO } from './io.ts';
import { loadForCommand } from './load.ts';

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' } });
  if ('error' in parsed) {
    io.stderr(`monitor plan: ${parsed.error}\nUsage: monitor plan [-c FILE] [--json]\n`);
    return 1;
  }
  if (parsed.positionals.length > 0) {
    io.stderr(`monitor plan: unexpected argument "${parsed.positionals[0]}" (the file goes after -c)\n`);
    return 1;
  }
  const config = await loadForCommand((parsed.values.config as string | undefined) ?? './monitor.yaml', io);
  if (!config) return 1;
  const storage = createStateStorage(config.state);
  try {
    const { plan } = await computePlan(config, giteaClientFor(config.gitea), storage);
    io.stdout(parsed.values.json ? formatPlanJson(plan) : formatPlanText(plan));
    if (!plan.complete || plan.problems.length > 0) return 1;
    return plan.actions.length > 0 ? 2 : 0;
  } catch (err) {
    io.stderr(`monitor plan: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await storage.dispose();
  }
}
