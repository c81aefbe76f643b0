// Test helper: the example Gitea bodies in test/fixtures/render, parsed and classified.
import { readFileSync } from 'node:fs';
import { classify } from '../../src/events/classify.ts';
import type { EventPayload } from '../../src/events/payloads.ts';
import type { NoticeItem } from '../../src/events/notice-item.ts';

export const FIXTURES = [
  'push-1-commit', 'push-3-commits', 'push-25-commits', 'push-new-branch', 'push-tag-create', 'push-tag-delete',
  'push-ui-test-delivery', 'push-api-test', 'create-branch', 'create-tag', 'delete-branch', 'release-published',
] as const;
export type Fixture = (typeof FIXTURES)[number];

function eventOf(name: Fixture): EventPayload['event'] {
  if (name.startsWith('create-')) return 'create';
  if (name.startsWith('delete-')) return 'delete';
  if (name.startsWith('release-')) return 'release';
  return 'push';
}

/** The parsed JSON body of a fixture (a fresh copy each call, so tests may change it). */
export function payload(name: Fixture): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/render/${name}.json`, import.meta.url), 'utf8'));
}

/** classify() of a fixture, optionally after changing its payload. */
export function item(name: Fixture, edit?: (p: Record<string, any>) => void): NoticeItem {
  const p = payload(name);
  edit?.(p);
  return classify({ event: eventOf(name), payload: p } as EventPayload);
}

/** Checks that the tags of an HTML string nest properly (void tags excepted); returns the problem or null. */
export function htmlProblem(html: string): string | null {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*>|<|>/g)) {
    if (m[0] === '<') return `bare < at ${m.index}`;
    if (m[0] === '>') continue;
    const tag = (m[2] ?? '').toLowerCase();
    if (['br', 'hr', 'img'].includes(tag)) continue;
    if (m[1] === '/') {
      if (stack.pop() !== tag) return `unexpected </${tag}> at ${m.index}`;
    } else stack.push(tag);
  }
  return stack.length ? `unclosed <${stack.join('>, <')}>` : null;
}
