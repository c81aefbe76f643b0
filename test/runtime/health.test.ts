// healthBody: degraded when a repo's hook is an error or a room is anything but joined/pending.
import { describe, expect, it } from 'vitest';
import { healthBody, type HealthSources } from '../../src/runtime/health.ts';
import type { RuntimeRef } from '../../src/runtime/runtime.ts';

const runtime = { get: () => ({ config: { hash: 'h', matrix: { rooms: { news: '#n:x', ops: '#o:x' } }, repos: [{ match: 'df/*' }] } }) } as unknown as RuntimeRef;
function sources(rooms: Record<string, string>, repos: Array<{ hook: 'ready' | 'pending' | 'error' }> = [], failing = false): HealthSources {
  return {
    runtime, phase: () => 'running', leads: () => true, reloader: () => null,
    roomStates: new Map(Object.entries(rooms).map(([room, state]) => [room, { state, detail: `${room} is ${state}` }])),
    hooks: {
      trigger: () => {}, markVerified: () => {}, lead: async () => {}, stop: async () => {},
      repos: async () => {
        if (failing) throw new Error('ECONNREFUSED 127.0.0.1:6379');
        return repos.map((r, i) => ({ repo: `df/r${i}`, hook: r.hook, detail: null }));
      },
    },
  };
}

describe('healthBody', () => {
  it.each<[string, Record<string, string>, Array<{ hook: 'ready' | 'pending' | 'error' }>, string]>([
    ['all joined, hooks ready or pending', { news: 'joined', ops: 'joined' }, [{ hook: 'ready' }, { hook: 'pending' }], 'ok'],
    ['a room still joining', { news: 'joined' }, [], 'ok'],
    ['a room that failed to join', { news: 'joined', ops: 'error' }, [], 'degraded'],
    ['a room the bot is not invited to', { news: 'not_joined', ops: 'joined' }, [], 'degraded'],
    ['a room whose encryption is broken', { news: 'degraded', ops: 'joined' }, [], 'degraded'],
    ['a hook in error', { news: 'joined', ops: 'joined' }, [{ hook: 'ready' }, { hook: 'error' }], 'degraded'],
  ])('%s → %s', async (_, rooms, repos, status) => {
    const h = await healthBody(sources(rooms, repos));
    expect(h.status).toBe(status);
    for (const r of h.rooms!) if (rooms[r.room]) expect(r.detail).toBe(`${r.room} is ${rooms[r.room]}`);
  });

  it('a state storage that does not answer is degraded, with the reason, not a failed request', async () => {
    const h = await healthBody(sources({ news: 'joined', ops: 'joined' }, [], true));
    expect(h.status).toBe('degraded');
    expect(h.repos).toEqual([{ repo: 'df/*', hook: 'error', detail: 'hook state unreadable (state storage): ECONNREFUSED 127.0.0.1:6379' }]);
  });
});
