// The parent's side of bench/standins.ts: fork it, ask it things over IPC, stop it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const GITEA_TOKEN = 'bench-gitea-token-0001';
export const MATRIX_TOKEN = 'bench-matrix-token-0001';
export const BENCH_ROOM = '#bench:localhost';

export interface PushPlan { rate: number; seconds: number; repos: number; waitMs: number }
export interface PushReport {
  pushes: number;
  /** How long the schedule took (should be `seconds`). */
  seconds: number;
  /** Deliveries the monitor answered 202. */
  accepted: number;
  exactlyOne: number;
  missing: number;
  duplicated: number;
  /** Messages that were not a single-push notice (digests, anything else). */
  other: number;
  fromDeliveryMs: number[];
  fromPushMs: number[];
}

export interface StandIns {
  gitea: string;
  homeserver: string;
  pid: number;
  calls(): Promise<number>;
  /** How many repos carry an active hook to `url`. */
  hooks(url: string): Promise<number>;
  /** Resolves when the Gitea stand-in has no delivery queued. */
  idle(): Promise<void>;
  messages(): Promise<number>;
  pushes(plan: PushPlan): Promise<PushReport>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('../standins.ts', import.meta.url));

export async function startStandIns(repos: number): Promise<StandIns> {
  const child: ChildProcess = fork(SCRIPT, [String(repos)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (v: Record<string, unknown>) => void>();
  let seq = 0;
  let exited = false;
  child.on('message', (m: { id: number }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.(m as Record<string, unknown>);
  });
  const gone = new Promise<never>((_, reject) =>
    child.once('exit', (code) => ((exited = true), reject(new Error(`bench stand-ins exited (${code})`)))),
  );
  gone.catch(() => undefined);
  const ask = <T>(cmd: string, extra: object = {}): Promise<T> => {
    const id = ++seq;
    const answer = new Promise<T>((r) => waiting.set(id, r as (v: Record<string, unknown>) => void));
    child.send({ id, cmd, ...extra });
    return Promise.race([answer, gone]);
  };
  const ready = await Promise.race([new Promise<Record<string, unknown>>((r) => waiting.set(0, r)), gone]);
  return {
    gitea: String(ready.gitea),
    homeserver: String(ready.homeserver),
    pid: child.pid!,
    calls: async () => (await ask<{ calls: number }>('calls')).calls,
    hooks: async (url) => (await ask<{ hooks: number }>('hooks', { url })).hooks,
    idle: async () => void (await ask('idle')),
    messages: async () => (await ask<{ messages: number }>('messages')).messages,
    pushes: async (plan) => (await ask<{ report: PushReport }>('pushes', { plan })).report,
    async stop() {
      if (exited) return;
      await ask('stop').catch(() => undefined);
    },
  };
}
