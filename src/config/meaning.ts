// Meaning checks: what the schema cannot say (cross references, globs, templates, units).
// Written over the raw data so they run even when the shape has errors: one run of
// `monitor validate` should report everything wrong at once.
import { durationFindings } from './durations.ts';
import { globError, plainOwner } from './globs.ts';
import type { Path } from './path.ts';
import { finding, type Finding } from './problem.ts';
import { templateFindings } from './template-check.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const DEFAULT_HOOK_EVENTS = ['push', 'create', 'delete', 'release'];

export function meaningFindings(data: unknown): Finding[] {
  const root = obj(data);
  return [
    ...roomFindings(root),
    ...signInFindings(root),
    ...globFindings(root),
    ...templateFindings(root.templates),
    ...triggerNameFindings(root),
    ...eventFindings(root),
    ...webhookFindings(root),
    ...serverFindings(root),
    ...stateFindings(root),
    ...durationFindings(root),
  ];
}

function roomFindings(root: Obj): Finding[] {
  const rooms = obj(root.matrix).rooms;
  if (rooms === null || typeof rooms !== 'object') return []; // the schema already says rooms is missing
  const names = Object.keys(rooms);
  const out: Finding[] = [];
  for (const [name, r] of Object.entries(rooms)) {
    if (r === null || typeof r !== 'object') continue;
    const o = obj(r);
    if ((o.alias === undefined) === (o.id === undefined)) out.push(finding(['matrix', 'rooms', name], 'give either alias or id'));
  }
  list(root.repos).forEach((rule, i) =>
    list(obj(rule).notify).forEach((room, j) => {
      if (typeof room === 'string' && !Object.hasOwn(rooms, room)) {
        out.push(finding(['repos', i, 'notify', j], `unknown room "${room}" (matrix.rooms has: ${names.join(', ') || 'nothing'})`));
      }
    }),
  );
  return out;
}

/** The bot signs in one way: a token, or user + password (the schema pairs user with password). */
function signInFindings(root: Obj): Finding[] {
  if (root.matrix === null || typeof root.matrix !== 'object') return [];
  const m = obj(root.matrix);
  if (m.access_token !== undefined && m.password !== undefined) return [finding(['matrix', 'password'], 'give matrix.access_token or matrix.user + matrix.password, not both')];
  if (m.access_token === undefined && m.password === undefined && m.user === undefined) return [finding(['matrix'], 'the bot needs matrix.access_token, or matrix.user + matrix.password')];
  return [];
}

function globFindings(root: Obj): Finding[] {
  const out: Finding[] = [];
  const check = (path: Path, glob: unknown) => {
    const why = typeof glob === 'string' ? globError(glob) : null;
    if (why) out.push(finding(path, why));
  };
  list(root.repos).forEach((r, i) => {
    const rule = obj(r);
    check(['repos', i, 'match'], rule.match);
    if (typeof rule.match === 'string' && rule.match.includes('/') && !globError(rule.match) && plainOwner(rule.match) === null) {
      // Hooks are installed over one named owner's repositories; a glob owner would mean every org the token can see.
      out.push(finding(['repos', i, 'match'], `the owner "${rule.match.split('/')[0]}" must be a plain name, not a glob: write one rule per owner (e.g. dataforge/${rule.match.split('/')[1] ?? '*'})`));
    }
    list(rule.exclude).forEach((g, j) => check(['repos', i, 'exclude', j], g));
    list(rule.branches).forEach((g, j) => check(['repos', i, 'branches', j], g));
  });
  list(root.triggers).forEach((t, i) => list(obj(t).repos).forEach((g, j) => check(['triggers', i, 'repos', j], g)));
  const filter = obj(root.webhook).branch_filter;
  if (typeof filter === 'string' && filter !== '') check(['webhook', 'branch_filter'], filter);
  return out;
}

function triggerNameFindings(root: Obj): Finding[] {
  const first = new Map<string, number>();
  const out: Finding[] = [];
  list(root.triggers).forEach((t, i) => {
    const name = obj(t).name;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else out.push(finding(['triggers', i, 'name'], `duplicate trigger name "${name}" (also triggers[${earlier}])`));
  });
  return out;
}

/** An announced event the hook never subscribes to can never arrive: almost surely a mistake. */
function eventFindings(root: Obj): Finding[] {
  const declared = obj(root.webhook).events;
  const subscribed = Array.isArray(declared) ? declared : DEFAULT_HOOK_EVENTS;
  const out: Finding[] = [];
  const check = (section: 'repos' | 'triggers') =>
    list(root[section]).forEach((entry, i) =>
      list(obj(entry).events).forEach((ev, j) => {
        if (typeof ev === 'string' && DEFAULT_HOOK_EVENTS.includes(ev) && !subscribed.includes(ev)) {
          out.push(finding([section, i, 'events', j], `"${ev}" never arrives: webhook.events does not subscribe to it`));
        }
      }),
    );
  check('repos');
  check('triggers');
  return out;
}

function webhookFindings(root: Obj): Finding[] {
  const url = obj(root.webhook).public_url;
  if (typeof url !== 'string') return [];
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return [finding(['webhook', 'public_url'], 'is not a valid URL')];
  }
  return pathname.endsWith('/webhook/gitea')
    ? []
    : [finding(['webhook', 'public_url'], `path must end in /webhook/gitea, where the receiver listens (got "${pathname}")`)];
}

function serverFindings(root: Obj): Finding[] {
  const server = obj(root.server);
  const out: Finding[] = [];
  const listen = server.listen;
  const port = typeof listen === 'string' ? /:([0-9]{1,5})$/.exec(listen)?.[1] : undefined;
  if (port !== undefined && Number(port) > 65535) out.push(finding(['server', 'listen'], 'port must be 0-65535'));
  const limit = server.body_limit;
  if (limit === 0 || (typeof limit === 'string' && /^0+[A-Za-z]*$/.test(limit))) {
    out.push(finding(['server', 'body_limit'], 'must be larger than 0'));
  }
  return out;
}

function stateFindings(root: Obj): Finding[] {
  const state = obj(root.state);
  if (state.driver === 'redis' && state.url === undefined) {
    return [finding(['state', 'driver'], 'redis needs state.url (redis://host:6379)')];
  }
  return [];
}
