// A free TCP port on loopback (for the demo's and tests' own listeners, whose URL must be known
// before they listen: it goes into the hook config Gitea is told to call). Picked below the
// kernels' ephemeral ranges (Linux 32768–60999, macOS and Windows 49152–65535): a port the kernel
// handed out for listen(0) could be handed to the next listen(0) — another test's stand-in, say —
// between this check and the caller's own listen (EADDRINUSE). Random in 20000–32767, checked by
// binding it; after a few taken ports, whatever the kernel gives.
import { createServer } from 'node:net';

export const FREE_PORT_RANGE: readonly [number, number] = [20000, 32767];

function tryPort(port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(null));
    s.listen(port, host, () => {
      const got = (s.address() as { port: number }).port;
      s.close(() => resolve(got));
    });
  });
}

export async function freePort(host = '127.0.0.1', random: () => number = Math.random): Promise<number> {
  const [lo, hi] = FREE_PORT_RANGE;
  for (let i = 0; i < 20; i++) {
    const port = await tryPort(lo + Math.floor(random() * (hi - lo + 1)), host);
    if (port !== null) return port;
  }
  const any = await tryPort(0, host);
  if (any === null) throw new Error(`no free TCP port on ${host}`);
  return any;
}
