// The /webhook/health body: phase, hook states from the shared hook status, room states from the
// sender, last reload. Degraded when any repo's hook is not working (error) or any room is in a
// state other than joined or pending (error, not_joined, degraded, …): each says why in `detail`.
import type { HealthBody } from '../http/app.ts';
import type { HookSupervisor } from './daemon.ts';
import type { Reloader } from './reloader.ts';
import type { RuntimeRef } from './runtime.ts';
import { VERSION } from '../version.ts';

export interface HealthSources {
  runtime: RuntimeRef;
  phase(): 'starting' | 'running' | 'draining';
  leads(): boolean;
  hooks: HookSupervisor | undefined;
  roomStates: Map<string, { state: string; detail: string | null }>;
  reloader(): Reloader | null;
}

/** Room states that mean notices can go out (or will, once the join at start finishes). */
const ROOM_OK = new Set(['joined', 'pending']);

export async function healthBody(s: HealthSources): Promise<HealthBody> {
  const config = s.runtime.get().config;
  const rooms = Object.keys(config.matrix.rooms).map((room) => ({ room, state: s.roomStates.get(room)?.state ?? 'pending', detail: s.roomStates.get(room)?.detail ?? null }));
  let repos: HealthBody['repos'];
  try {
    repos = (await s.hooks?.repos()) ?? [];
  } catch (e) {
    // The shared state storage does not answer: that is a finding, not a crash of the health route.
    repos = config.repos.map((r) => ({ repo: r.match, hook: 'error' as const, detail: `hook state unreadable (state storage): ${(e as Error).message}` }));
  }
  const degraded = repos.some((r) => r.hook === 'error') || rooms.some((r) => !ROOM_OK.has(r.state));
  const phase = s.phase();
  const status = phase === 'running' ? (degraded ? 'degraded' : 'ok') : phase;
  const reload = s.reloader()?.status();
  return {
    status, version: VERSION, config_hash: config.hash, role: s.leads() ? 'leader' : 'follower', repos, rooms, dashboard: '/ui/',
    ...(reload ? { reload: { ok: reload.ok, at: reload.at, error: reload.error } } : {}),
  };
}
