// `monitor serve` as a real child process (bin/monitor.js), its JSON log lines collected.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { World } from './world.ts';

const BIN = fileURLToPath(new URL('../../bin/monitor.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  url: string;
  /** Resolves with the first log line matching; rejects on exit or timeout. */
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(w: World, args: string[] = [], configFile = w.configFile): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '-c', configFile, ...args], { cwd: w.dir, env: { ...process.env, ...w.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let buf = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const text = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text);
      } catch {
        line = { msg: text };
      }
      lines.push(line);
      for (const wt of [...waiters]) if (wt.pred(line)) (waiters.splice(waiters.indexOf(wt), 1), wt.resolve(line));
    }
  });
  child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const waitForLog = (pred: (l: Record<string, unknown>) => boolean, timeoutMs = 10_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = lines.find(pred);
      if (found) return resolve(found);
      const t = setTimeout(() => reject(new Error(`timed out waiting for a log line; stderr: ${stderr.join('')}; last lines: ${JSON.stringify(lines.slice(-5))}`)), timeoutMs);
      waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
      void exited.then((e) => (clearTimeout(t), reject(new Error(`serve exited (${e.code ?? e.signal}) before the log line; stderr: ${stderr.join('')}`))));
    });
  const listening = await waitForLog((l) => l.msg === 'ready', 20_000);
  return { child, lines, stderr, url: String(listening.url), waitForLog, exited };
}
