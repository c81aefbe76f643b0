// A homeserver that cannot be reached: the error names the URL, the setting and the cause an
// operator can act on, never only "connection failed: fetch failed: fetch failed".
import { expect, it } from 'vitest';
import { createMatrixPort, SendError } from '../../../src/adapters/matrix/client.ts';
import { freePort } from '../../../src/net/free-port.ts';
import { Secret } from '../../../src/secret.ts';

it('names the homeserver URL and ECONNREFUSED host:port when nothing listens', async () => {
  const port = await freePort();
  const homeserver = `http://127.0.0.1:${port}`;
  const matrix = createMatrixPort({ homeserver, accessToken: new Secret('matrix-token-abc123') });
  const err = await matrix.joinRoom('#news:example.com').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SendError);
  expect((err as SendError).message).toBe(`cannot reach the homeserver at ${homeserver} (matrix.homeserver): ECONNREFUSED 127.0.0.1:${port}`);
  expect((err as SendError).failure.kind).toBe('network');
});
