// The allow-listed Python methods callable on values: str, list, dict and datetime methods.
// Anything else is refused; nothing here reaches JavaScript methods of the value.
import { dateTimeMethod, isDateTime } from './datetime.js';
import { arg, type Kwargs } from './env.js';
import { callError, typeError } from './errors.js';
import { strFormat } from './format.js';
import { pyCapitalize, pyCenter, pyRsplit, pySplit, pySplitlines, pyStrip, pyTitle, pyZfill } from './pystr.js';
import { isDict, isNumber, pyEq, pyStr, pyType } from './values.js';

function optStr(v: unknown, what: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw typeError(`${what} must be str or None, not ${pyType(v)}`);
  return v;
}

function int(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (!isNumber(v)) throw typeError(`'${pyType(v)}' object cannot be interpreted as an integer`);
  return Math.trunc(Number(v));
}

function prefixes(v: unknown, what: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((p) => {
    if (typeof p !== 'string') throw typeError(`${what} arg must be str or a tuple of str, not ${pyType(p)}`);
    return p;
  });
}

function count(s: string, sub: string): number {
  if (sub === '') return s.length + 1;
  return s.split(sub).length - 1;
}

function strMethod(s: string, name: string, args: unknown[], kw: Kwargs): unknown {
  const a0 = args[0];
  switch (name) {
    case 'split':
      return pySplit(s, optStr(arg(args, kw, 0, 'sep'), 'sep'), int(arg(args, kw, 1, 'maxsplit'), -1));
    case 'rsplit':
      return pyRsplit(s, optStr(arg(args, kw, 0, 'sep'), 'sep'), int(arg(args, kw, 1, 'maxsplit'), -1));
    case 'replace': {
      const [old, repl, n] = [args[0], args[1], int(args[2], -1)];
      if (typeof old !== 'string' || typeof repl !== 'string') throw typeError('replace() arguments must be str');
      if (n < 0) return s.split(old).join(repl);
      const parts = s.split(old);
      return parts.slice(0, n + 1).join(repl) + (parts.length > n + 1 ? old + parts.slice(n + 1).join(old) : '');
    }
    case 'strip':
      return pyStrip(s, optStr(a0, 'chars'), 'both');
    case 'lstrip':
      return pyStrip(s, optStr(a0, 'chars'), 'left');
    case 'rstrip':
      return pyStrip(s, optStr(a0, 'chars'), 'right');
    case 'startswith':
      return prefixes(a0, 'startswith').some((p) => s.startsWith(p, int(args[1], 0)));
    case 'endswith':
      return prefixes(a0, 'endswith').some((p) => s.endsWith(p));
    case 'lower':
      return s.toLowerCase();
    case 'upper':
      return s.toUpperCase();
    case 'capitalize':
      return pyCapitalize(s);
    case 'title':
      return pyTitle(s);
    case 'swapcase':
      return Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'join': {
      if (!Array.isArray(a0) && typeof a0 !== 'string') throw typeError('can only join an iterable');
      const items = Array.isArray(a0) ? a0 : Array.from(a0);
      return items
        .map((x, i) => {
          if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${pyType(x)} found`);
          return x;
        })
        .join(s);
    }
    case 'format':
      return strFormat(s, args, kw);
    case 'find':
    case 'index':
    case 'rfind':
    case 'rindex': {
      if (typeof a0 !== 'string') throw typeError(`must be str, not ${pyType(a0)}`);
      const i = name.startsWith('r') ? s.lastIndexOf(a0) : s.indexOf(a0, int(args[1], 0));
      if (i < 0 && name.endsWith('index')) throw callError('substring not found');
      return i;
    }
    case 'count':
      if (typeof a0 !== 'string') throw typeError(`must be str, not ${pyType(a0)}`);
      return count(s, a0);
    case 'isdigit':
      return /^\d+$/.test(s);
    case 'isalpha':
      return /^\p{L}+$/u.test(s);
    case 'isalnum':
      return /^[\p{L}\d]+$/u.test(s);
    case 'isspace':
      return /^\s+$/.test(s);
    case 'islower':
      return /\p{L}/u.test(s) && s === s.toLowerCase();
    case 'isupper':
      return /\p{L}/u.test(s) && s === s.toUpperCase();
    case 'splitlines':
      return pySplitlines(s, args[0] === true);
    case 'zfill':
      return pyZfill(s, int(a0, 0));
    case 'center':
    case 'ljust':
    case 'rjust': {
      const w = int(a0, 0);
      const fill = typeof args[1] === 'string' ? args[1] : ' ';
      if (name === 'ljust') return s.padEnd(w, fill);
      if (name === 'rjust') return s.padStart(w, fill);
      return pyCenter(s, w, fill);
    }
    default:
      return unsupported('str', name);
  }
}

function listMethod(list: readonly unknown[], name: string, args: unknown[]): unknown {
  switch (name) {
    case 'index': {
      const i = list.findIndex((x) => pyEq(x, args[0]));
      if (i < 0) throw callError(`${pyStr(args[0])} is not in list`);
      return i;
    }
    case 'count':
      return list.filter((x) => pyEq(x, args[0])).length;
    case 'copy':
      return [...list];
    // in place, returning None, as Jinja2 (not sandboxed in Ansible) lets templates do:
    // `{% set _ = acc.append(x) %}`
    case 'append':
      (list as unknown[]).push(args[0]);
      return null;
    case 'extend':
      if (!Array.isArray(args[0])) throw callError(`'${pyStr(args[0])}' is not a list`);
      (list as unknown[]).push(...(args[0] as unknown[]));
      return null;
    case 'insert':
      (list as unknown[]).splice(int(args[0], 0), 0, args[1]);
      return null;
    case 'pop': {
      if (list.length === 0) throw callError('pop from empty list');
      const i = args.length ? int(args[0], -1) : -1;
      const at = i < 0 ? list.length + i : i;
      if (at < 0 || at >= list.length) throw callError('pop index out of range');
      return (list as unknown[]).splice(at, 1)[0];
    }
    case 'remove': {
      const i = list.findIndex((x) => pyEq(x, args[0]));
      if (i < 0) throw callError('list.remove(x): x not in list');
      (list as unknown[]).splice(i, 1);
      return null;
    }
    default:
      return unsupported('list', name);
  }
}

function dictMethod(d: Record<string, unknown>, name: string, args: unknown[], kwArgs?: Record<string, unknown>): unknown {
  switch (name) {
    case 'keys':
      return Object.keys(d);
    case 'values':
      return Object.values(d);
    case 'items':
      return Object.entries(d).map(([k, v]) => [k, v]);
    case 'get': {
      const key = args[0];
      if (typeof key === 'string' || typeof key === 'number') {
        const k = String(key);
        if (Object.hasOwn(d, k) && k !== '__proto__') return d[k];
      }
      return args.length > 1 ? args[1] : null;
    }
    case 'copy':
      return { ...d };
    // in place, as Jinja2 in Ansible allows: `{% set _ = acc.update({'a': 1}) %}`
    case 'update':
      if (args[0] !== undefined && !isDict(args[0])) throw callError('dict.update() needs a dict');
      for (const [k, v] of Object.entries((args[0] as Record<string, unknown> | undefined) ?? {})) if (k !== '__proto__') d[k] = v;
      for (const [k, v] of Object.entries(kwArgs ?? {})) if (k !== '__proto__') d[k] = v;
      return null;
    case 'setdefault': {
      const k = pyStr(args[0]);
      if (k === '__proto__') throw callError('invalid key');
      if (!Object.hasOwn(d, k)) d[k] = args.length > 1 ? args[1] : null;
      return d[k];
    }
    case 'pop': {
      const k = pyStr(args[0]);
      if (Object.hasOwn(d, k)) {
        const v = d[k];
        delete d[k];
        return v;
      }
      if (args.length > 1) return args[1];
      throw callError(`KeyError: '${k}'`);
    }
    default:
      return unsupported('dict', name);
  }
}

function unsupported(type: string, name: string): never {
  throw callError(`method '${name}' is not supported on ${type} values`);
}

export function callMethod(recv: unknown, name: string, args: unknown[], kw: Kwargs): unknown {
  if (typeof recv === 'string') return strMethod(recv, name, args, kw);
  if (Array.isArray(recv)) return listMethod(recv, name, args);
  if (isDict(recv)) return dictMethod(recv, name, args, kw as unknown as Record<string, unknown>);
  if (isDateTime(recv)) return dateTimeMethod(recv, name, args, kw);
  throw callError(`method '${name}' is not supported on ${pyType(recv)} values`);
}
