// Every deploy unit's V8 heap flag fits the receiver's default limits (the arithmetic the units'
// comments and README's Security section state): live heap + in-flight bodies x 3 + headers.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config/config.ts';

const MiB = 2 ** 20;
/** The daemon's live heap (npm run bench / npm run soak print it). */
const LIVE_HEAP_MIB = 40;
/** A body in flight costs its UTF-8 string for the store and its parsed JSON on the heap. */
const HEAP_PER_BODY_BYTE = 3;
const HEADER_BYTES = 16 * 1024; // Node's default max header size

it.each(['deploy/systemd/gitea-releases-monitor.service', 'deploy/docker/Dockerfile', 'deploy/kubernetes/deployment.yaml'])('%s: the heap flag fits the default limits', (file) => {
  const flag = /--max-old-space-size=(\d+)/.exec(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
  expect(flag, 'no --max-old-space-size').not.toBeNull();
  const need = LIVE_HEAP_MIB + (HEAP_PER_BODY_BYTE * DEFAULTS.inflightBodyLimit + DEFAULTS.maxConnections * HEADER_BYTES) / MiB;
  expect(Number(flag![1])).toBeGreaterThanOrEqual(need);
});
