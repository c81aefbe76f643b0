// Which hooks an event reaches (services/webhook/webhook.go PrepareWebhooks / PrepareWebhook) and
// the task queue that delivers them. The queue is one serial worker so tests see a stable order;
// the hook is re-read at send time, as Gitea's Deliver does (current URL, secret, active flag).
import type { Agents, Delivery } from './deliver.ts';
import { deliver } from './deliver.ts';
import { branchFilterMatches } from './glob.ts';
import type { StoredHook } from './hooks.ts';
import type { EventTask } from './payloads.ts';
import type { Repo, World } from './world.ts';
import { fullName } from './world.ts';

/** Hook types whose payload is the plain Gitea JSON; chat types need converters the sandbox lacks. */
const PLAIN_TYPES = new Set(['gitea', 'gogs']);
/** Events whose ref is checked against the branch filter (v1.25: tags included). */
const REF_EVENTS = new Set(['push', 'create', 'delete']);

interface Job { hookId: number; event: string; payload: string }

export interface Dispatcher {
  readonly deliveries: Delivery[];
  /** Creates one task per matching hook for each event (in order) and resolves when all were sent. */
  fire(repo: Repo, tasks: EventTask[]): Promise<Delivery[]>;
  /** A task for one given hook, e.g. the API test endpoint; filter and active flag still apply. */
  fireAt(hook: StoredHook, task: EventTask): Promise<Delivery[]>;
  replay(uuid: string): Promise<Delivery>;
  onDelivery(listener: (d: Delivery) => void): () => void;
  idle(): Promise<void>;
}

function wants(hook: StoredHook, task: EventTask): boolean {
  if (!hook.active || !PLAIN_TYPES.has(hook.type) || !hook.events.includes(task.event)) return false;
  return task.ref === null || !REF_EVENTS.has(task.event) || branchFilterMatches(hook.branchFilter, task.ref);
}

/** The repo's own hooks first, then the owner's (org) hooks, ordered by id within each. */
export function hooksFor(world: World, repo: Repo): StoredHook[] {
  const name = fullName(repo).toLowerCase();
  const all = [...world.hooks.values()].sort((a, b) => a.id - b.id);
  const own = all.filter((h) => h.targetType === 'repository' && h.owner.toLowerCase() === name);
  const org = repo.owner.isOrg ? all.filter((h) => h.targetType === 'organization' && h.owner.toLowerCase() === repo.owner.login.toLowerCase()) : [];
  return [...own, ...org];
}

export function createDispatcher(world: World, opts: { timeoutMs: number; agents: Agents }): Dispatcher {
  const deliveries: Delivery[] = [];
  const listeners = new Set<(d: Delivery) => void>();
  let tail: Promise<unknown> = Promise.resolve();

  async function sendOne(job: Job): Promise<Delivery | null> {
    const hook = world.hooks.get(job.hookId);
    // Deleted hooks lose their tasks; inactive hooks and DISABLE_WEBHOOKS skip them at send time.
    if (!hook || world.webhooksDisabled || !hook.active) return null;
    const delivery = await deliver(hook, job.event, job.payload, opts);
    deliveries.push(delivery);
    for (const listener of listeners) {
      // A broken test listener must not break the queue (or surface as an unhandled rejection).
      try {
        listener(delivery);
      } catch (err) {
        process.emitWarning(`gitea sandbox: an onDelivery listener threw: ${(err as Error).message}`);
      }
    }
    return delivery;
  }

  function schedule<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  }

  function enqueue(jobs: Job[]): Promise<Delivery[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    return schedule(async () => {
      const sent: Delivery[] = [];
      for (const job of jobs) {
        const d = await sendOne(job);
        if (d) sent.push(d);
      }
      return sent;
    });
  }

  return {
    deliveries,
    fire(repo, tasks) {
      if (world.webhooksDisabled) return Promise.resolve([]);
      const hooks = hooksFor(world, repo);
      const jobs = tasks.flatMap((task) => hooks.filter((h) => wants(h, task)).map((h) => ({ hookId: h.id, event: task.event, payload: task.payload })));
      return enqueue(jobs);
    },
    fireAt(hook, task) {
      if (world.webhooksDisabled || !wants({ ...hook, active: true }, task)) return Promise.resolve([]);
      return enqueue([{ hookId: hook.id, event: task.event, payload: task.payload }]);
    },
    replay(uuid) {
      const original = deliveries.find((d) => d.uuid === uuid);
      if (!original) return Promise.reject(new Error(`gitea sandbox: no delivery ${uuid}`));
      const hook = world.hooks.get(original.hookId);
      if (!hook) return Promise.reject(new Error(`gitea sandbox: hook ${original.hookId} was deleted, and its tasks with it`));
      if (!hook.active) return Promise.reject(new Error(`gitea sandbox: hook ${hook.id} is inactive; Gitea would skip the replayed task`));
      // ReplayHookTask copies PayloadContent into a new task: same bytes, new UUID, current secret.
      return schedule(async () => {
        const d = await sendOne({ hookId: hook.id, event: original.event, payload: original.payload });
        if (!d) throw new Error('gitea sandbox: webhooks are disabled; nothing was replayed');
        return d;
      });
    },
    onDelivery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async idle() {
      let seen: Promise<unknown> | undefined;
      while (seen !== tail) {
        seen = tail;
        await tail;
      }
    },
  };
}
