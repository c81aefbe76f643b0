// The daemon thread writes its output straight to the process's descriptors (issue 13: no message
// through the main thread per log line): each text whole and in order, even when the descriptor
// takes it a few bytes at a time or would block midway; one that would block before anything is
// written goes to the fallback stream instead, and so does everything after it (order holds).
import { afterEach, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coalescing, fdWriter } from '../../src/runtime/thread-output.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function file() {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-io-'));
  dirs.push(dir);
  const path = join(dir, 'out');
  return { path, fd: openSync(path, 'w') };
}

/** writeSync on `fd` takes at most `chunk` bytes and throws EAGAIN on the calls listed. */
function flaky(fd: number, chunk: number, eagainOn: number[]) {
  const real = fs.writeSync;
  let call = 0;
  vi.spyOn(fs, 'writeSync').mockImplementation(((f: number, buf: Buffer) => {
    if (f !== fd) return (real as (...a: unknown[]) => number)(f, buf);
    call++;
    if (eagainOn.includes(call)) throw Object.assign(new Error('EAGAIN: resource temporarily unavailable'), { code: 'EAGAIN' });
    return real(f, buf.subarray(0, chunk));
  }) as typeof fs.writeSync);
  syncBuiltinESMExports();
}

it('writes each text whole and in order, a few bytes at a time, waiting out EAGAIN midway', () => {
  const { path, fd } = file();
  flaky(fd, 3, [2, 5]);
  const fallback: string[] = [];
  const write = fdWriter(fd, (t) => fallback.push(t));
  write('{"msg":"ready"}\n');
  write('{"msg":"delivery accepted"}\n');
  closeSync(fd);
  expect(readFileSync(path, 'utf8')).toBe('{"msg":"ready"}\n{"msg":"delivery accepted"}\n');
  expect(fallback).toEqual([]);
});

it('a descriptor that would block before anything is written hands that text and the later ones to the fallback', () => {
  const { path, fd } = file();
  flaky(fd, 1000, [1]);
  const fallback: string[] = [];
  const write = fdWriter(fd, (t) => fallback.push(t));
  write('first\n');
  write('second\n');
  closeSync(fd);
  expect(fallback).toEqual(['first\n', 'second\n']);
  expect(readFileSync(path, 'utf8')).toBe('');
});

it('a descriptor that fails (EPIPE: the reader went away) hands the rest to the fallback instead of throwing at the logger', () => {
  const { fd } = file();
  const real = fs.writeSync;
  let call = 0;
  vi.spyOn(fs, 'writeSync').mockImplementation(((f: number, buf: Buffer) => {
    if (f !== fd) return (real as (...a: unknown[]) => number)(f, buf);
    if (++call === 2) throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
    return real(f, buf.subarray(0, 4));
  }) as typeof fs.writeSync);
  syncBuiltinESMExports();
  const fallback: string[] = [];
  const write = fdWriter(fd, (t) => fallback.push(t));
  expect(() => write('{"msg":"ready"}\n')).not.toThrow();
  write('next\n');
  closeSync(fd);
  expect(fallback).toEqual(['g":"ready"}\n', 'next\n']); // what was not written yet, then the rest
});

it('coalesces the texts of one turn into one write, in order, flushed at the turn end, at its size cap or on demand', () => {
  const written: string[] = [];
  const turns: Array<() => void> = [];
  const c = coalescing((t) => written.push(t), (fn) => turns.push(fn), 10);
  c.write('a\n');
  c.write('b\n');
  expect(written).toEqual([]); // nothing before the turn ends
  expect(turns).toHaveLength(1); // one flush scheduled for the turn, not one per text
  turns.shift()!();
  expect(written).toEqual(['a\nb\n']);
  c.write('0123456789'); // reaches the cap: out at once
  expect(written).toEqual(['a\nb\n', '0123456789']);
  c.write('late\n');
  c.flush();
  expect(written).toEqual(['a\nb\n', '0123456789', 'late\n']);
  for (const fn of turns.splice(0)) fn(); // a flush with nothing waiting writes nothing
  expect(written).toHaveLength(3);
});
