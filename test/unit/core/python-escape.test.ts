// Python's string escapes, the one table (core/python-escape.ts), and its two readers: the Jinja
// lexer's string literals and the INI inventory's literal_eval. The expected values are what
// Python 3.11 and Jinja 3.1 (Debian's, ansible-core 2.14's) give.
import { describe, expect, it } from 'vitest';
import { decodeKvEscapes, readPyEscape } from '../../../src/core/python-escape.js';
import { renderFile } from '../../../src/template/index.js';
import { literalEval } from '../../../src/core/python-literal.js';

/** decodes `s` whose first character is the backslash */
const esc = (s: string) => readPyEscape(s, 0);

describe('readPyEscape', () => {
  it.each([
    ['\\n', '\n'],
    ['\\t', '\t'],
    ['\\\\', '\\'],
    ["\\'", "'"],
    ['\\"', '"'],
    ['\\a', '\x07'],
    ['\\b', '\b'],
    ['\\f', '\f'],
    ['\\v', '\v'],
    ['\\r', '\r'],
    ['\\\n', ''],
    ['\\0', '\0'],
    ['\\7', '\x07'],
    ['\\012', '\n'],
    ['\\777', '\u01ff'],
    ['\\x41', 'A'],
    ['\\u00e9', '\u00e9'],
    ['\\U0001F600', '\u{1F600}'],
  ])('%j is %j', (s, text) => expect(esc(s)).toEqual({ ok: true, text, end: s.length }));

  it('takes at most three octal digits and two hex digits', () => {
    expect(esc('\\1014')).toEqual({ ok: true, text: 'A', end: 4 });
    expect(esc('\\x414')).toEqual({ ok: true, text: 'A', end: 4 });
    expect(readPyEscape('ab\\ncd', 2)).toEqual({ ok: true, text: '\n', end: 4 });
  });

  it('keeps an unknown escape as written', () => {
    expect(esc('\\q')).toEqual({ ok: true, text: '\\q', end: 2 });
    expect(esc('\\8')).toEqual({ ok: true, text: '\\8', end: 2 });
  });

  it.each([
    ['\\x4', 'truncated \\xXX escape'],
    ['\\xZZ', 'truncated \\xXX escape'],
    ['\\u12', 'truncated \\uXXXX escape'],
    ['\\U0011000', 'truncated \\UXXXXXXXX escape'],
    ['\\U00110000', 'illegal Unicode character'],
    ['\\', 'a backslash at the end of the string'],
  ])('%j is malformed: %s', (s, error) => expect(esc(s)).toEqual({ ok: false, error }));

  it('\\N{name} is refused rather than kept (Python would look the name up)', () => {
    expect(esc('\\N{BULLET}').ok).toBe(false);
  });
});

describe('its readers', () => {
  it('Jinja string literals: octal, hex, unknown kept; a truncated \\x is a syntax error as in Jinja', () => {
    const file = (text: string) => renderFile(text, {}, () => undefined);
    expect(file('{{ "a\\012b\\x41\\q" }}')).toBe('a\nbA\\q');
    expect(() => file('{{ "\\x4" }}')).toThrow(/truncated \\xXX escape/);
  });
  it('INI values (literal_eval): the same escapes; a malformed one leaves the text as it is', () => {
    expect(literalEval("'a\\012b\\x41\\q'")).toBe('a\nbA\\q');
    expect(literalEval("'\\x4'")).toBe("'\\x4'");
  });
});

describe("decodeKvEscapes (parse_kv's _decode_escapes: a narrower set)", () => {
  it('decodes the simple escapes and complete hex escapes', () => {
    expect(decodeKvEscapes('a\\nb\\tc\\\\d\\"e\\\'f\\ag\\x41\\u00e9\\U0001F600')).toBe('a\nb\tc\\d"e\'f\x07gA\u00e9\u{1F600}');
  });
  it('keeps octal, unknown and truncated escapes as written', () => {
    expect(decodeKvEscapes('\\101 \\q \\x4 \\N{BULLET}')).toBe('\\101 \\q \\x4 \\N{BULLET}');
  });
  it('reads left to right: an escaped backslash does not escape what follows', () => {
    expect(decodeKvEscapes('\\\\n')).toBe('\\n');
  });
});
