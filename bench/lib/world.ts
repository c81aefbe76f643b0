// Stand-ins (own process) + `monitor serve` (own process) with its hooks installed by its own
// reconcile pass, and the stand-in's test deliveries already answered: a quiet daemon to load.
import { startStandIns, type StandIns } from './standins.ts';
import { startServe, type Serve } from './serve.ts';

export interface BenchWorld {
  standIns: StandIns;
  serve: Serve;
  stop(): Promise<void>;
}

export async function startBenchWorld(o: { repos: number; window: string; nodeArgs?: string[] }): Promise<BenchWorld> {
  const standIns = await startStandIns(o.repos);
  let serve: Serve;
  try {
    serve = await startServe({ gitea: standIns.gitea, homeserver: standIns.homeserver, window: o.window, nodeArgs: o.nodeArgs });
  } catch (e) {
    await standIns.stop();
    throw e;
  }
  const stop = async () => {
    await serve.stop();
    await standIns.stop();
  };
  try {
    const end = performance.now() + 60_000;
    while ((await standIns.hooks(serve.publicUrl)) < o.repos) {
      if (performance.now() > end) throw new Error(`reconcile did not install ${o.repos} hooks within 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await standIns.idle();
  } catch (e) {
    await stop();
    throw e;
  }
  return { standIns, serve, stop };
}

/** Waits until the Gitea stand-in has had no API call for `stableS` seconds (at most `maxS`): the
 * daemon's post-install work is done (after installing hooks it asks Gitea for a test delivery from
 * each, and each repository's first delivery records its catch-up baseline, 3 API calls each).
 * Returns the seconds it took. */
export async function giteaQuiet(world: BenchWorld, stableS: number, maxS = 90): Promise<number> {
  const from = performance.now();
  for (let last = -1, stable = 0; stable < stableS && performance.now() - from < maxS * 1000; ) {
    await new Promise((res) => setTimeout(res, 1000));
    const calls = await world.standIns.calls();
    stable = calls === last ? stable + 1 : 0;
    last = calls;
  }
  return (performance.now() - from) / 1000;
}
