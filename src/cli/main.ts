// `monitor <command>`: dispatch only. Each command lives in its own file and returns its exit code.
import { processIO, type CliIO, type Command } from './io.ts';
import { VERSION } from '../version.ts';

const COMMANDS: Record<string, { load: () => Promise<{ run: Command }>; help: string }> = {
  validate: { load: () => import('./validate.ts'), help: 'validate [FILE] [--format text|github] [--resolve]  check monitor.yaml (0 valid, 1 invalid, 2 unreadable)' },
  plan: { load: () => import('./plan.ts'), help: 'plan [-c FILE] [--json]               show how Gitea hooks differ (0 none, 2 changes, 1 error)' },
  apply: { load: () => import('./apply.ts'), help: 'apply [-c FILE] [--allow-mass-delete]  make Gitea hooks match the file (0 ok, 1 error)' },
  serve: { load: () => import('./serve.ts'), help: 'serve [-c FILE]                       run the daemon until SIGTERM' },
  demo: { load: () => import('./demo.ts'), help: 'demo                                  the daemon against a built-in sandbox Gitea and homeserver' },
  runs: { load: () => import('./runs.ts'), help: 'runs [-c FILE] [--node ID] [--json]   recorded nodes and runs' },
  retry: { load: () => import('./retry.ts'), help: 'retry [-c FILE] RUN_ID                send a failed run\'s notices again' },
};

function usage(): string {
  return `monitor ${VERSION}\n\nUsage: monitor <command> [options]\n\n${Object.values(COMMANDS).map((c) => '  ' + c.help).join('\n')}\n`;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === 'version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`monitor: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  const { run } = await cmd.load();
  return run(rest, io);
}
