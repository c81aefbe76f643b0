// Shared by the dashboard tests: a world whose daemon serves the dashboard, and a hook supervisor
// that reports what the reconcile loop would (declared repos pending until a signed delivery).
import { SECRETS, startWorld, startWorldDaemon, type World, type WorldOptions } from '../helpers/world.ts';
import type { Daemon, HookSupervisor } from '../../src/runtime/daemon.ts';
import { mountDashboard, type DashboardOptions } from '../../src/dashboard/mount.ts';
import type { memoryLogger } from '../../src/log.ts';

export const WITH_TOKEN = 'dashboard: { auth: { token: { env: DASHBOARD_TOKEN } } }';
export const TOKEN = SECRETS.DASHBOARD_TOKEN;
export const bearer = (t = TOKEN) => ({ authorization: `Bearer ${t}` });

export function hookBoard(repos: string[]): HookSupervisor {
  const verified = new Set<string>();
  return {
    trigger: () => {},
    lead: async () => {},
    markVerified: (repo) => void verified.add(repo),
    repos: () =>
      repos.map((repo) =>
        verified.has(repo)
          ? { repo, hook: 'ready' as const, detail: 'hook matches; a signed delivery was verified' }
          : { repo, hook: 'pending' as const, detail: 'hook matches; waiting for a signed delivery' },
      ),
    stop: async () => {},
  };
}

export interface DashboardWorld {
  w: World;
  d: Daemon & { logs: ReturnType<typeof memoryLogger> };
  close(): Promise<void>;
}

export async function startDashboardWorld(o: WorldOptions & { dashboard?: DashboardOptions; hookRepos?: string[] } = {}): Promise<DashboardWorld> {
  const w = await startWorld(o);
  await w.installHooks();
  const board = hookBoard(o.hookRepos ?? ['dataforge/api', 'dataforge/pipelines', 'dataforge/web']);
  const d = await startWorldDaemon(w, { mount: (app, ctx) => mountDashboard(app, ctx, o.dashboard), hooks: () => board });
  return {
    w, d,
    async close() {
      await d.stop();
      await w.close();
    },
  };
}
