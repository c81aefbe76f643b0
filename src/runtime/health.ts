// The /webhook/health body: phase, hook states from reconcile, room join states, last reload.
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

export function healthBody(s: HealthSources): HealthBody {
  const config = s.runtime.get().config;
  const rooms = Object.keys(config.matrix.rooms).map((room) => ({ room, state: s.roomStates.get(room)?.state ?? 'pending', detail: s.roomStates.get(room)?.detail ?? null }));
  const repos = s.hooks?.repos() ?? [];
  const degraded = repos.some((r) => r.hook === 'error') || rooms.some((r) => r.state === 'error' || r.state === 'not_joined' || r.state === 'degraded');
  const phase = s.phase();
  const status = phase === 'running' ? (degraded ? 'degraded' : 'ok') : phase;
  const reload = s.reloader()?.status();
  return {
    status, version: VERSION, config_hash: config.hash, role: s.leads() ? 'leader' : 'follower', repos, rooms, dashboard: '/ui/',
    ...(reload ? { reload: { ok: reload.ok, at: reload.at, error: reload.error } } : {}),
  };
}
