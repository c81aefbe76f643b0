// The Gitea and homeserver stand-ins in their own process, so the monitor, the load generator and
// the receivers never share an event loop. Forked by bench/lib/standins.ts and driven over IPC:
// each request {id, cmd, ...} gets one reply {id, ...}. Only listens on 127.0.0.1.
//   node bench/standins.ts REPOS
import { createGiteaSandbox } from '../src/sandbox/gitea/index.ts';
import { createHomeserverSandbox } from '../src/sandbox/homeserver/index.ts';
import { repoName } from './lib/body.ts';
import { BENCH_ROOM, GITEA_TOKEN, MATRIX_TOKEN, type PushReport, type PushPlan } from './lib/standins.ts';

const repos = Number(process.argv[2] ?? 100);
const gitea = createGiteaSandbox({ token: GITEA_TOKEN });
gitea.addOrg('bench', { fullName: 'Bench' });
gitea.addUser('alice', { fullName: 'Alice Liddell' });
for (let i = 0; i < repos; i++) await gitea.addRepo(repoName(i));
const hs = createHomeserverSandbox({ users: [{ token: MATRIX_TOKEN, userId: '@monitor:localhost', deviceId: 'BENCH' }], rooms: [{ alias: BENCH_ROOM }] });
const g = await gitea.listen();
const h = await hs.listen();

let messages = 0;
hs.onEvent((_room, ev) => {
  if (ev.type === 'm.room.message') messages++;
});

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));

/** `rate` pushes per second for `seconds`, round-robin over the repos; waits for every notice. */
async function pushes(plan: PushPlan): Promise<PushReport> {
  const total = Math.round(plan.rate * plan.seconds);
  const pushedAt = new Array<number>(total).fill(NaN);
  const startedAt = new Array<number>(total).fill(NaN);
  const status = new Array<number | null>(total).fill(null);
  const receivedAt = new Array<number>(total).fill(NaN);
  const notices = new Array<number>(total).fill(0);
  let other = 0;
  let received = 0;
  let allIn: () => void = () => undefined;
  const done = new Promise<void>((r) => (allIn = r));
  // The notice names its commit; "(bench-K)" in the title ties it to push K.
  const off = hs.onEvent((_room, ev) => {
    if (ev.type !== 'm.room.message') return;
    const at = performance.now();
    const body = String((ev.content as { body?: unknown }).body ?? '');
    const ks = [...body.matchAll(/\(bench-(\d+)\)/g)].map((m) => Number(m[1]));
    if (ks.length !== 1 || !body.includes(' pushed 1 commit ')) other++;
    for (const k of ks) {
      if (!(k >= 0 && k < total)) continue;
      notices[k] = notices[k]! + 1;
      if (notices[k] === 1) (receivedAt[k] = at, received++);
    }
    if (received === total) allIn();
  });
  const t0 = performance.now() + 50;
  const sent: Promise<unknown>[] = [];
  for (let k = 0; k < total; k++) {
    await sleepUntil(t0 + (k * 1000) / plan.rate);
    pushedAt[k] = performance.now();
    sent.push(
      gitea.push(repoName(k % plan.repos), { pusher: 'alice', commits: [{ message: `Bench push (bench-${k})` }] }).then((ds) => {
        const d = ds[0];
        if (!d) return;
        // The delivery is recorded when it completes; its start is that minus its duration (the
        // serial queue may have held it after the push, so never before the push itself).
        startedAt[k] = Math.max(pushedAt[k]!, performance.now() - d.durationMs);
        status[k] = d.status;
      }),
    );
  }
  const pushEnd = performance.now();
  await Promise.all(sent);
  await Promise.race([done, new Promise((r) => setTimeout(r, plan.waitMs))]);
  off();
  const byDelivery: number[] = [];
  const byPush: number[] = [];
  for (let k = 0; k < total; k++) {
    if (Number.isNaN(receivedAt[k]!)) continue;
    byDelivery.push(receivedAt[k]! - startedAt[k]!);
    byPush.push(receivedAt[k]! - pushedAt[k]!);
  }
  return {
    pushes: total,
    seconds: (pushEnd - t0) / 1000,
    accepted: status.filter((s) => s === 202).length,
    exactlyOne: notices.filter((n) => n === 1).length,
    missing: notices.filter((n) => n === 0).length,
    duplicated: notices.filter((n) => n > 1).length,
    other,
    fromDeliveryMs: byDelivery,
    fromPushMs: byPush,
  };
}

type Request = { id: number; cmd: string; url?: string; plan?: PushPlan };
process.on('message', async (m: Request) => {
  const reply = (v: object) => process.send!({ id: m.id, ...v });
  switch (m.cmd) {
    case 'calls':
      return reply({ calls: gitea.apiCalls.length });
    case 'hooks': {
      let n = 0;
      for (let i = 0; i < repos; i++) if (gitea.hooks(repoName(i)).some((x) => x.active && x.url === m.url)) n++;
      return reply({ hooks: n });
    }
    case 'idle':
      await gitea.idle();
      return reply({});
    case 'messages':
      return reply({ messages });
    case 'pushes':
      return reply({ report: await pushes(m.plan!) });
    case 'stop':
      await g.close();
      await h.close();
      reply({});
      return process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ id: 0, gitea: g.url, homeserver: h.url });
