// Fault injection: a FIFO of scripted failures plus "down" and latency switches.
import { matrixError } from './http.ts';
import type { FaultScope } from './types.ts';

const SEND_PATH = /^\/_matrix\/client\/v3\/rooms\/[^/]+\/send\/[^/]+\/[^/]+$/;

export function isSendRequest(method: string, path: string): boolean {
  return method === 'PUT' && SEND_PATH.test(path);
}

function matches(scope: FaultScope, method: string, path: string): boolean {
  if (scope === 'all') return true;
  if (scope === 'send') return isSendRequest(method, path);
  return scope.test(path);
}

/** "before" faults replace the handling; "after" faults replace the answer of a handled request. */
export type FaultPhase = 'before' | 'after';

interface Fault {
  remaining: number;
  scope: FaultScope;
  phase: FaultPhase;
  respond(): Response;
}

export function createFaults() {
  const queue: Fault[] = [];
  let down = false;
  let latency = { ms: 0, scope: 'send' as FaultScope };

  function push(times: number, fault: Omit<Fault, 'remaining'>): void {
    if (!Number.isInteger(times) || times < 0) throw new Error(`homeserver sandbox: bad fault count ${times}`);
    if (times > 0) queue.push({ ...fault, remaining: times });
  }

  return {
    inject429(times: number, opts: { retryAfterMs?: number | null; retryAfterHeaderSeconds?: number; paths?: FaultScope } = {}): void {
      const retryAfterMs = opts.retryAfterMs === undefined ? 1200 : opts.retryAfterMs;
      const extra = retryAfterMs === null ? {} : { retry_after_ms: retryAfterMs };
      const headers: Record<string, string> =
        opts.retryAfterHeaderSeconds === undefined ? {} : { 'Retry-After': String(opts.retryAfterHeaderSeconds) };
      push(times, {
        scope: opts.paths ?? 'send',
        phase: 'before',
        respond: () => matrixError(429, 'M_LIMIT_EXCEEDED', 'Too Many Requests', extra, headers),
      });
    },

    injectError(times: number, status: number, errcode = 'M_UNKNOWN', opts: { paths?: FaultScope; afterExecute?: boolean } = {}): void {
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`homeserver sandbox: bad error status ${status}`);
      push(times, {
        scope: opts.paths ?? 'send',
        phase: opts.afterExecute ? 'after' : 'before',
        respond: () => matrixError(status, errcode, `Injected failure (${status})`),
      });
    },

    /** Consumes one matching fault of this phase, oldest first. */
    take(method: string, path: string, phase: FaultPhase): Response | undefined {
      const i = queue.findIndex((f) => f.phase === phase && matches(f.scope, method, path));
      const fault = queue[i];
      if (!fault) return undefined;
      if (--fault.remaining === 0) queue.splice(i, 1);
      return fault.respond();
    },

    setDown(value: boolean): void {
      down = value;
    },

    get down(): boolean {
      return down;
    },

    setLatency(ms: number, scope: FaultScope = 'send'): void {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`homeserver sandbox: bad latency ${ms}`);
      latency = { ms, scope };
    },

    latencyFor(method: string, path: string): number {
      return latency.ms > 0 && matches(latency.scope, method, path) ? latency.ms : 0;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
