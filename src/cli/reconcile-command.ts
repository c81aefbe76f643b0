// What `plan` and `apply` share: parse the options, load the config, open the reconcile state and a
// Gitea client, run the command body, report an unexpected error, and always close the state.
import { giteaClientFor, type GiteaClient } from '../adapters/gitea/client.ts';
import { createStateStorage } from '../adapters/state/storage.ts';
import type { Config } from '../config/config.ts';
import type { Storage } from 'unstorage';
import { parseCommandArgs, type Options } from './args.ts';
import type { CliIO } from './io.ts';
import { loadForCommand } from './load.ts';

export interface ReconcileCommand {
  values: Record<string, string | boolean | undefined>;
  config: Config;
  client: GiteaClient;
  storage: Storage;
}

export async function runReconcileCommand(
  name: string,
  usage: string,
  args: string[],
  io: CliIO,
  options: Options,
  body: (c: ReconcileCommand) => Promise<number>,
): Promise<number> {
  const parsed = parseCommandArgs(args, options);
  if ('error' in parsed) {
    io.stderr(`monitor ${name}: ${parsed.error}\nUsage: ${usage}\n`);
    return 1;
  }
  if (parsed.positionals.length > 0) {
    io.stderr(`monitor ${name}: unexpected argument "${parsed.positionals[0]}" (the file goes after -c)\n`);
    return 1;
  }
  const config = await loadForCommand((parsed.values.config as string | undefined) ?? './monitor.yaml', io);
  if (!config) return 1;
  const storage = createStateStorage(config.state);
  try {
    return await body({ values: parsed.values, config, client: giteaClientFor(config.gitea), storage });
  } catch (err) {
    io.stderr(`monitor ${name}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await storage.dispose();
  }
}
