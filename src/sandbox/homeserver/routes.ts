// Route table assembly: every known path answers 405 M_UNRECOGNIZED to other methods, every
// unknown path 404 M_UNRECOGNIZED, as the spec's common error codes describe.
import type { H3, H3Event } from 'h3';
import type { Faults } from './faults.ts';
import { pathParams, unrecognized } from './http.ts';
import { accountRoutes } from './routes-account.ts';
import { roomRoutes } from './routes-rooms.ts';
import { syncRoutes } from './routes-sync.ts';
import { profileRoutes } from './routes-profile.ts';
import { keyRoutes } from './routes-keys.ts';
import type { HomeserverState } from './state.ts';
import type { TxnCache } from './txns.ts';

export interface RouteDeps {
  state: HomeserverState;
  faults: Faults;
  txns: TxnCache;
  now: () => number;
}

/** `params` holds the `:name` segments of `path`, each percent-decoded exactly once. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  handler: (event: H3Event, params: Record<string, string>) => Response | Promise<Response>;
}

export function registerRoutes(app: H3, deps: RouteDeps): void {
  const defs = [...accountRoutes(deps), ...roomRoutes(deps), ...syncRoutes(deps), ...profileRoutes(deps), ...keyRoutes(deps)];
  for (const def of defs) {
    app.on(def.method, def.path, (event) => {
      const params = pathParams(event, def.path);
      return params instanceof Response ? params : def.handler(event, params);
    });
  }
  // Registered after the method routes so the router prefers those.
  for (const path of new Set(defs.map((d) => d.path))) app.all(path, () => unrecognized(405));
  app.all('/**', () => unrecognized(404));
}
