// The logger: every value capped (a client controls header values and they are logged on every
// rejection), errors in pino's {type, message, stack} shape.
import { expect, it } from 'vitest';
import { MAX_VALUE_CHARS, memoryLogger } from '../src/log.ts';
import { Secret } from '../src/secret.ts';

it('caps every logged string value, in fields, nested values and child bindings, saying how much was cut', () => {
  const log = memoryLogger();
  const huge = 'x'.repeat(15_000);
  log.child({ event: huge }).warn('delivery rejected', { reason: huge, headers: { 'user-agent': huge }, list: [huge] });
  const line = log.lines[0]!;
  const marker = `…(${15_000 - MAX_VALUE_CHARS} more)`;
  expect(line.event).toBe('x'.repeat(MAX_VALUE_CHARS) + marker);
  expect(line.reason).toBe('x'.repeat(MAX_VALUE_CHARS) + marker);
  expect((line.headers as Record<string, string>)['user-agent']).toBe('x'.repeat(MAX_VALUE_CHARS) + marker);
  expect((line.list as string[])[0]).toBe('x'.repeat(MAX_VALUE_CHARS) + marker);
  expect(JSON.stringify(line).length).toBeLessThan(4 * (MAX_VALUE_CHARS + 100));
});

it('cuts long arrays and deep structures', () => {
  const log = memoryLogger();
  let deep: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 20; i++) deep = { deep };
  log.info('m', { many: Array.from({ length: 10_000 }, (_, i) => i), deep });
  const line = log.lines[0]!;
  expect((line.many as unknown[]).length).toBeLessThanOrEqual(51);
  expect(JSON.stringify(line.deep)).toContain('[too deep]');
});

it('logs an Error as pino does: err {type, message, stack}', () => {
  const log = memoryLogger();
  log.error('store failed', { error: new TypeError('boom') });
  const line = log.lines[0]!;
  expect(line.error).toBeUndefined();
  expect(line.err).toMatchObject({ type: 'TypeError', message: 'boom', stack: expect.stringContaining('log.test.ts') });
});

it('short values, numbers and secrets are unchanged', () => {
  const log = memoryLogger();
  log.info('m', { a: 'short', n: 3, s: new Secret('hunter2'), nil: null });
  expect(log.lines[0]).toMatchObject({ a: 'short', n: 3, s: '[redacted]', nil: null });
});
