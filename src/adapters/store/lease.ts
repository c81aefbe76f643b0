// Leadership between replicas: the one replica that processes deliveries, flushes digests, sends,
// and reconciles. On PostgreSQL it is a session advisory lock held on its own connection: when the
// holder dies its session ends, PostgreSQL frees the lock, and another replica takes over on its
// next attempt. SQLite serves one replica, which always leads.
import type pg from 'pg';
import type { Logger } from '../../log.ts';

export interface Lease {
  isLeader(): boolean;
  onChange(listener: (leader: boolean) => void): void;
  stop(): Promise<void>;
}

export function soleLease(): Lease {
  return { isLeader: () => true, onChange: () => undefined, stop: async () => undefined };
}

const LOCK_KEY = 7_400_452; // fixed: one monitor deployment per database

export async function pgLease(url: string, logger: Logger, opts: { retryMs?: number } = {}): Promise<Lease> {
  // Loaded only with PostgreSQL (a SQLite daemon never pays for pg).
  const { default: pgm } = await import('pg');
  const { pgClientOptions } = await import('./pg-db.ts');
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  const listeners: Array<(l: boolean) => void> = [];
  const set = (l: boolean) => {
    if (l === leader) return;
    leader = l;
    logger.info(l ? 'became leader' : 'lost leadership', { lease: 'postgres advisory lock' });
    for (const f of listeners) f(l);
  };
  const attempt = async () => {
    if (stopped || leader) return;
    try {
      if (!client) {
        const c = new pgm.Client({ ...pgClientOptions(url), keepAlive: true });
        c.on('error', () => {
          // The session is gone, and with it the lock.
          client = null;
          set(false);
        });
        await c.connect();
        client = c;
      }
      const r = await client.query('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
      if (r.rows[0]?.ok) set(true);
    } catch (e) {
      logger.warn('lease attempt failed', { error: e });
      await client?.end().catch(() => undefined);
      client = null;
    }
  };
  await attempt();
  const timer = setInterval(() => void attempt(), opts.retryMs ?? 2000);
  timer.unref();
  return {
    isLeader: () => leader,
    onChange: (f) => void listeners.push(f),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await client?.end().catch(() => undefined); // ends the session: the lock is free at once
      client = null;
      set(false);
    },
  };
}
