// `monitor <command>`: dispatch only. Each command lives in its own file and returns its exit code.
import { processIO, type CliIO, type Command } from './io.ts';
import { VERSION } from '../version.ts';

const COMMANDS: Record<string, { load: () => Promise<{ run: Command }>; usage: string; what: string }> = {
  validate: { load: () => import('./validate.ts'), usage: 'validate [FILE] [--format text|github] [--resolve]', what: 'check monitor.yaml (0 valid, 1 invalid, 2 unreadable)' },
  plan: { load: () => import('./plan.ts'), usage: 'plan [-c FILE] [--json] [--allow-mass-delete]', what: 'show how Gitea hooks differ (0 none, 2 changes, 1 error or refused deletions)' },
  apply: { load: () => import('./apply.ts'), usage: 'apply [-c FILE] [--allow-mass-delete]', what: 'make Gitea hooks match the file (0 ok, 1 error)' },
  serve: { load: () => import('./serve.ts'), usage: 'serve [-c FILE]', what: 'run the daemon until SIGTERM' },
  demo: { load: () => import('./demo.ts'), usage: 'demo [--exit] [--window 10s]', what: 'the daemon against a built-in sandbox Gitea and homeserver' },
  runs: { load: () => import('./runs.ts'), usage: 'runs [-c FILE] [--node ID] [--json] [--limit N]', what: 'recorded nodes and runs' },
  retry: { load: () => import('./retry.ts'), usage: 'retry [-c FILE] RUN_ID', what: "send a failed run's notices again" },
};

/** `-h`/`--help` anywhere among a command's options (not after `--`). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

function commandUsage(name: string): string {
  const c = COMMANDS[name]!;
  return `Usage: monitor ${c.usage}\n\n${c.what}.\nOptions: -c FILE (default ./monitor.yaml), -h/--help. \`monitor --version\` prints the version.\n`;
}

function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length)) + 2;
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}${c.what}`);
  return `monitor ${VERSION}\n\nUsage: monitor <command> [options]   (monitor <command> --help for one command)\n\n${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] && COMMANDS[rest[0]]) {
    io.stdout(commandUsage(rest[0]));
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(VERSION + '\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr(`monitor: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  if (wantsHelp(rest)) {
    io.stdout(commandUsage(name));
    return 0;
  }
  const { run } = await cmd.load();
  return run(rest, io);
}
