// Python's backslash escapes in a string literal, the one table: read by the INI inventory's
// literal_eval (inventory/python-literal.ts) and by the Jinja lexer's string literals
// (template/lexer.ts, which Jinja decodes with Python's `unicode-escape` codec: the same
// escapes). Not the `re` module's replacement-template escapes (template/regex.ts): those are
// another, smaller table with other errors.
import { table } from './table.js';

/** An escape read at a backslash: the text it stands for and the index after it, or why it is malformed. */
export type PyEscape = { readonly ok: true; readonly text: string; readonly end: number } | { readonly ok: false; readonly error: string };

const SIMPLE: Readonly<Record<string, string>> = table({
  '\n': '', // a backslash at the end of a line joins the lines
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
});

const HEX_DIGITS: Readonly<Record<string, number>> = table({ x: 2, u: 4, U: 8 });

/**
 * Reads the escape whose backslash is at `s[at]`, as Python does: the simple escapes, one to
 * three octal digits, `\xHH`, `\uHHHH`, `\UHHHHHHHH`; an unknown escape (`\q`, `\8`) is kept as
 * written. A truncated `\x`/`\u`/`\U`, a code point beyond U+10FFFF and `\N{…}` (a Unicode
 * character name: runbook has no name table) are malformed.
 */
export function readPyEscape(s: string, at: number): PyEscape {
  const next = s[at + 1];
  if (next === undefined) return { ok: false, error: 'a backslash at the end of the string' };
  const simple = SIMPLE[next];
  if (simple !== undefined) return { ok: true, text: simple, end: at + 2 };
  const digits = HEX_DIGITS[next];
  if (digits !== undefined) {
    const hex = s.slice(at + 2, at + 2 + digits);
    if (hex.length < digits || !/^[0-9a-fA-F]+$/.test(hex)) {
      return { ok: false, error: `truncated \\${next}${'X'.repeat(digits)} escape` };
    }
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return { ok: false, error: 'illegal Unicode character' };
    return { ok: true, text: String.fromCodePoint(code), end: at + 2 + digits };
  }
  const octal = /^[0-7]{1,3}/.exec(s.slice(at + 1, at + 4))?.[0];
  if (octal !== undefined) return { ok: true, text: String.fromCodePoint(parseInt(octal, 8)), end: at + 1 + octal.length };
  if (next === 'N') return { ok: false, error: '\\N{...} escapes (Unicode character names) are not supported' };
  return { ok: true, text: '\\' + next, end: at + 2 };
}

const KV_ESCAPE = /\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g;

/**
 * The escapes Ansible's parse_kv decodes in a `key=value` word (splitter.py `_decode_escapes`):
 * only the simple ones and complete `\x`/`\u`/`\U`, the rest (octal, `\q`, a truncated `\x4`)
 * is kept as written. `\N{…}` is kept too (runbook has no name table).
 */
export function decodeKvEscapes(s: string): string {
  return s.replace(KV_ESCAPE, (m) => {
    const e = readPyEscape(m, 0);
    return e.ok ? e.text : m;
  });
}
