// The daemon as a process: start, wait for SIGTERM/SIGINT (or io.stopSignal), drain, exit 0.
import type { Config } from '../config/config.ts';
import type { CliIO } from '../cli/io.ts';
import { createLogger } from '../log.ts';
import { startDaemon, type Daemon, type DaemonOptions } from './daemon.ts';
import { superviseHooks } from './hooks.ts';
import { mountDashboard } from '../dashboard/mount.ts';

export interface ProcessOptions {
  config: Config;
  file: string;
  io: CliIO;
  extra?: Partial<DaemonOptions>;
  onStarted?: (d: Daemon) => Promise<void> | void;
  /** A SIGHUP came before this function ran (while the command loaded): reload once started. */
  hupBefore?: () => boolean;
}

function stopSignal(io: CliIO): Promise<string> {
  if (io.stopSignal) return io.stopSignal;
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

export async function runDaemonProcess(o: ProcessOptions): Promise<number> {
  const logger = createLogger({ write: (l) => o.io.stdout(l + '\n') });
  // SIGHUP before the daemon is up must not kill the process (its default action): it reloads once up.
  let daemon: Daemon | null = null;
  let hupEarly = false;
  const onHup = () => (daemon ? void daemon.reloader?.reload('SIGHUP', true) : (hupEarly = true));
  process.on('SIGHUP', onHup);
  try {
    daemon = await startDaemon({ config: o.config, logger, reload: { env: o.io.env, cwd: o.io.cwd }, hooks: superviseHooks, mount: mountDashboard, ...o.extra });
  } catch (e) {
    process.off('SIGHUP', onHup);
    logger.error('cannot start', { error: e });
    return 1;
  }
  if (hupEarly || o.hupBefore?.()) onHup();
  const signal = stopSignal(o.io);
  await o.onStarted?.(daemon);
  const got = await signal;
  process.off('SIGHUP', onHup);
  logger.info('stop requested', { signal: got });
  await daemon.stop();
  return 0;
}
