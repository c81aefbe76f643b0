// Pure: does a recorded delivery get announced, and where? Loop protection (ignored pushers,
// skip markers), events that another delivery already announces (Gitea sends create + push for a
// new branch or tag, push + delete for a deleted tag), and the rooms the routes give.
import type { NoticeItem } from '../events/notice-item.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { route } from './route.ts';

export type Announcement =
  | { status: 'queued'; rooms: string[] }
  | { status: 'skipped' | 'recorded'; rooms: []; reason: string };

function routes(rt: Runtime, item: NoticeItem, event: NoticeItem['event']): string[] {
  return route(rt.routes, { repo: item.repo.full_name, event, refType: item.ref_type, refName: item.ref_name }).rooms;
}

export function decideAnnouncement(item: NoticeItem, rt: Runtime, releaseAction?: string): Announcement {
  const { pushers, commitMarkers } = rt.config.ignore;
  if (pushers.some((p) => p.toLowerCase() === item.actor.toLowerCase())) {
    return { status: 'skipped', rooms: [], reason: `pusher ${item.actor} is in ignore.pushers` };
  }
  const marker = commitMarkers.find((m) => item.messages.some((msg) => msg.includes(m)));
  if (marker) return { status: 'skipped', rooms: [], reason: `commit message carries ignore marker "${marker}"` };

  // Gitea's test deliveries (the UI button, the API tests endpoint, and the probe reconcile sends
  // after creating a hook) prove the hook works: recorded and shown as verified, never posted.
  if (item.kind === 'test') return { status: 'recorded', rooms: [], reason: 'Gitea test delivery: the hook works' };
  if (item.event === 'create' && routes(rt, item, 'push').length) {
    return { status: 'recorded', rooms: [], reason: 'announced by the push Gitea sends with it' };
  }
  if (item.event === 'delete' && item.ref_type === 'tag' && routes(rt, item, 'push').length) {
    return { status: 'recorded', rooms: [], reason: 'tag deletion is announced by its push' };
  }
  if (item.event === 'release' && releaseAction !== undefined && releaseAction !== 'published') {
    return { status: 'recorded', rooms: [], reason: `release ${releaseAction} is not announced` };
  }
  const rooms = routes(rt, item, item.event);
  if (!rooms.length) return { status: 'recorded', rooms: [], reason: 'no longer routed by the current configuration' };
  return { status: 'queued', rooms };
}
