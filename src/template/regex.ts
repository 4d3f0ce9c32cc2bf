// Python `re` patterns and replacement templates, translated for JS RegExp: the one
// translation, used by the filters and tests here and by the modules' `regexp` arguments
// (lineinfile, replace, wait_for). Translation errors are `PyRegexError`s; the filters turn
// them into template errors, the modules into failed tasks.
import { filterError } from './errors.js';
import { table } from '../core/table.js';

export class PyRegexError extends Error {}

export interface ReFlags {
  readonly ignorecase?: boolean;
  readonly multiline?: boolean;
  readonly dotall?: boolean;
}

const cache = new Map<string, { source: string; flags: string }>();

function translate(pattern: string): { source: string; flags: string } {
  let flags = '';
  let p = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    for (const f of inline[1] ?? '') {
      if (f === 'i' || f === 'm' || f === 's') flags += f;
      else if (f === 'x') throw new PyRegexError(`regular expression '${pattern}': verbose mode (?x) is not supported`);
    }
    p = p.slice(inline[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    if (ch === '\\') {
      const next = p[i + 1] ?? '';
      if (!inClass && next === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && next === 'Z') out += '(?![\\s\\S])';
      else out += ch + next;
      i++;
    } else if (inClass) {
      out += ch;
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (p.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (p.startsWith('(?P=', i)) {
      const end = p.indexOf(')', i);
      if (end < 0) throw new PyRegexError(`regular expression '${pattern}': unterminated (?P=`);
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
    } else out += ch;
  }
  return { source: out, flags };
}

/** A compiled pattern; `extra` adds JS flags such as 'g' or 'y'. Throws a template error. */
export function pyRegex(pattern: string, f: ReFlags = {}, extra = ''): RegExp {
  try {
    return compilePyRegex(pattern, f, extra);
  } catch (e) {
    throw e instanceof PyRegexError ? filterError(e.message) : e;
  }
}

/** The same, throwing `PyRegexError` (for module arguments). */
export function compilePyRegex(pattern: string, f: ReFlags = {}, extra = ''): RegExp {
  let t = cache.get(pattern);
  if (!t) {
    t = translate(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, t);
  }
  let flags = t.flags + extra;
  if (f.ignorecase && !flags.includes('i')) flags += 'i';
  if (f.multiline && !flags.includes('m')) flags += 'm';
  if (f.dotall && !flags.includes('s')) flags += 's';
  try {
    return new RegExp(t.source, [...new Set(flags)].join(''));
  } catch (err) {
    throw new PyRegexError(`invalid regular expression '${pattern}': ${err instanceof Error ? err.message.replace(/^.*: /, '') : ''}`);
  }
}

/** Python re.match: anchored at the start of the text. */
export function reMatch(pattern: string, text: string, f: ReFlags = {}): RegExpExecArray | null {
  const re = pyRegex(pattern, f, 'y');
  re.lastIndex = 0;
  return re.exec(text);
}

export function reSearch(pattern: string, text: string, f: ReFlags = {}): RegExpExecArray | null {
  return pyRegex(pattern, f).exec(text);
}

/** A group reference: 1, '1', '\\1', '\\g<1>', '\\g<name>', 'name'. */
export function groupOf(m: RegExpExecArray, ref: unknown): string | null {
  const s = String(ref);
  const g = /^\\g<([^>]+)>$/.exec(s) ?? /^\\(\d+)$/.exec(s) ?? /^(\w+)$/.exec(s);
  if (!g) throw filterError(`unknown group reference '${s}'`);
  const key = g[1] ?? '';
  const v = /^\d+$/.test(key) ? m[Number(key)] : m.groups?.[key];
  if (v === undefined && !(/^\d+$/.test(key) ? Number(key) < m.length : m.groups && key in m.groups)) {
    throw filterError(`invalid group reference '${s}'`);
  }
  return v ?? null;
}

// the `re` module's own table for replacement templates (sre_parse ESCAPES): not Python's string
// literal escapes (core/python-escape.ts): no quotes, no \x, octal only as \0, and Python refuses an unknown
// ASCII-letter escape there (kept as written here)
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = table({
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
});

/**
 * Python's replacement template (re.sub and match.expand): \1..\99, \g<n>, \g<name> and the
 * usual escapes; a group that did not take part is empty; a group that does not exist is an
 * error, as in Python. Throws `PyRegexError`.
 */
export function expandPyTemplate(
  template: string,
  m: ArrayLike<string | undefined>,
  groups: Record<string, string | undefined> | undefined,
): string {
  const group = (ref: string): string => {
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      if (n >= m.length) throw new PyRegexError(`invalid group reference ${ref}`);
      return m[n] ?? '';
    }
    if (!groups || !(ref in groups)) throw new PyRegexError(`unknown group name '${ref}'`);
    return groups[ref] ?? '';
  };
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if (ch !== '\\' || i + 1 >= template.length) {
      out += ch;
      continue;
    }
    const rest = template.slice(i + 1);
    const num = /^\d{1,2}/.exec(rest);
    const named = /^g<([^>]*)>/.exec(rest);
    if (num) {
      out += group(num[0]);
      i += num[0].length;
    } else if (named) {
      out += group(named[1] ?? '');
      i += named[0].length;
    } else if (rest.startsWith('g<')) {
      throw new PyRegexError('missing > in \\g<...>');
    } else {
      const next = rest[0] as string;
      out += SIMPLE_ESCAPES[next] ?? '\\' + next; // Python keeps unknown escapes of punctuation as written
      i++;
    }
  }
  return out;
}

/** expandPyTemplate for the filters (a template error). */
export function expandReplacement(
  template: string,
  m: RegExpExecArray | string[],
  groups: Record<string, string | undefined> | undefined,
): string {
  try {
    return expandPyTemplate(template, m, groups);
  } catch (e) {
    throw e instanceof PyRegexError ? filterError(e.message) : e;
  }
}

export function reSub(pattern: string, repl: string, text: string, f: ReFlags, count = 0): string {
  const re = pyRegex(pattern, f, 'g');
  let n = 0;
  return text.replace(re, (...a: unknown[]) => {
    const whole = a[0] as string;
    if (count > 0 && n >= count) return whole;
    n++;
    const last = a[a.length - 1];
    const hasGroups = typeof last === 'object' && last !== null;
    const groups = hasGroups ? (last as Record<string, string | undefined>) : undefined;
    const groupEnd = a.length - (hasGroups ? 3 : 2);
    const m = a.slice(0, groupEnd).map((x) => (typeof x === 'string' ? x : ''));
    return expandReplacement(repl, m, groups);
  });
}

export function reFindall(pattern: string, text: string, f: ReFlags): unknown[] {
  const re = pyRegex(pattern, f, 'g');
  const out: unknown[] = [];
  for (const m of text.matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(m.slice(1).map((x) => x ?? ''));
  }
  return out;
}

export function reEscape(s: string): string {
  return s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}
