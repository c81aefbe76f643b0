import { describe, expect, it } from 'vitest';
import { encodeCompact, goQueryEscape, goTime, marshalIndent } from '../../../src/sandbox/gitea/go-encoding.ts';
import { fixture } from './helpers.ts';

describe('Go-compatible encodings', () => {
  it.each([
    ['<br> & é', '"\\u003cbr\\u003e \\u0026 é"'],
    ['line\u2028para\u2029', '"line\\u2028para\\u2029"'],
    ['bell\b feed\f', '"bell\\u0008 feed\\u000c"'],
    ['tab\tnl\ncr\r', '"tab\\tnl\\ncr\\r"'],
    ['ctl\u0001\u001f', '"ctl\\u0001\\u001f"'],
    ['a literal \\b and \\\\f', '"a literal \\\\b and \\\\\\\\f"'],
    ['quote " slash /', '"quote \\" slash /"'],
    ['lone \ud800 surrogate', '"lone \\ufffd surrogate"'],
    ['emoji 😀 stays raw', '"emoji 😀 stays raw"'],
  ])('escapes %j like json-iterator', (input, expected) => {
    expect(marshalIndent(input, '  ')).toBe(expected);
  });

  it('indents like json.MarshalIndent: empty containers inline, no trailing newline', () => {
    expect(marshalIndent({ a: [], b: {}, c: [1], d: null }, '  ')).toBe('{\n  "a": [],\n  "b": {},\n  "c": [\n    1\n  ],\n  "d": null\n}');
    expect(marshalIndent({ a: 1 }, ' ')).toBe('{\n "a": 1\n}');
  });

  it('re-encodes every example body to the same bytes', () => {
    for (const name of ['push-1-commit.json', 'push-3-commits.json', 'push-api-test.json', 'release-published.json']) {
      const text = fixture(name);
      expect(marshalIndent(JSON.parse(text), '  '), name).toBe(text);
    }
  });

  it('API JSON is compact with a trailing newline and HTML-escaped', () => {
    expect(encodeCompact({ m: '<x>' })).toBe('{"m":"\\u003cx\\u003e"}\n');
  });

  it('form bodies use url.QueryEscape: the fixture form body is reproduced exactly', () => {
    expect(`payload=${goQueryEscape(fixture('push-1-commit.json'))}`).toBe(fixture('push-1-commit.form-body.txt'));
    expect(goQueryEscape("a b!*'()~-_.")).toBe("a+b%21%2A%27%28%29~-_.");
  });

  it('times are whole seconds in UTC with Z', () => {
    expect(goTime(new Date('2024-05-05T14:00:00.999Z'))).toBe('2024-05-05T14:00:00Z');
  });
});
