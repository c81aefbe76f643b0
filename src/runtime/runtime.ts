// Everything a config turns into before the daemon can use it: secrets in checking order, compiled
// routes and templates. `buildRuntime` does all the fallible work, so a reload can build first and
// swap one reference after (Alertmanager's build-then-swap); a failed build leaves the old one running.
import picomatch from 'picomatch';
import type { Config, TriggerConfig } from '../config/config.ts';
import type { Secret } from '../secret.ts';
import { compileRoutes, type RouteTable } from '../pipeline/route.ts';
import { compileTemplates, type CompiledTemplates } from '../render/render.ts';

export interface Runtime {
  readonly config: Config;
  /** The current webhook secret first, then previous_secrets. */
  readonly secrets: readonly Secret[];
  readonly routes: RouteTable;
  readonly templates: CompiledTemplates;
  /** Downstream triggers with their repo globs compiled. */
  readonly triggers: ReadonlyArray<{ trigger: TriggerConfig; repo: (fullName: string) => boolean }>;
  readonly builtAt: number;
}

export function buildRuntime(config: Config, now = Date.now(), onRenderError?: (template: string, err: unknown) => void): Runtime {
  return Object.freeze({
    config,
    secrets: [config.webhook.secret, ...config.webhook.previousSecrets],
    routes: compileRoutes(config.repos),
    templates: compileTemplates(config.templates, { onRenderError }),
    triggers: config.triggers.map((trigger) => ({ trigger, repo: trigger.repos.length ? picomatch(trigger.repos, { nocase: true }) : () => true })),
    builtAt: now,
  });
}

/** The one mutable reference: readers call `get()` per use, the reloader calls `swap()`. */
export interface RuntimeRef {
  get(): Runtime;
  swap(next: Runtime): void;
}

export function runtimeRef(initial: Runtime): RuntimeRef {
  let current = initial;
  return { get: () => current, swap: (next) => void (current = next) };
}
