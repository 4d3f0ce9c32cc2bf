// Python json.dumps() output (separators, indent, sort_keys, ensure_ascii), as Ansible's
// to_json / to_nice_json produce it.
import { isoformat, isDateTime } from './datetime.js';
import { typeError } from './errors.js';
import { isDict, numberStr, pyType } from './values.js';
import { floatRepr, PyFloat } from '../core/python-float.js';

export interface DumpOptions {
  readonly indent?: number | null;
  readonly sortKeys?: boolean;
  readonly ensureAscii?: boolean;
  readonly separators?: readonly [string, string];
}

function quote(s: string, ascii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ascii && c > 0x7e)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return numberStr(n);
}

function floatNum(n: number): string {
  return Number.isFinite(n) ? floatRepr(n) : num(n);
}

export function pyJsonDumps(value: unknown, o: DumpOptions = {}): string {
  const indent = o.indent ?? null;
  const ascii = o.ensureAscii ?? true;
  const [itemSep, keySep] = o.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const seen = new Set<object>();
  const dump = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return num(v);
    if (v instanceof PyFloat) return floatNum(v.value);
    if (typeof v === 'string') return quote(v, ascii);
    // Ansible's JSON encoder writes dates as ISO 8601 text
    if (isDateTime(v)) return quote(isoformat(v), ascii);
    if (typeof v !== 'object' || (!Array.isArray(v) && !isDict(v))) {
      throw typeError(`Object of type ${pyType(v)} is not JSON serializable`);
    }
    if (seen.has(v)) throw typeError('Circular reference detected');
    seen.add(v);
    try {
      const parts = Array.isArray(v)
        ? v.map((x) => dump(x, depth + 1))
        : (o.sortKeys ? Object.keys(v).sort() : Object.keys(v)).map((k) => quote(k, ascii) + keySep + dump(v[k], depth + 1));
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (parts.length === 0) return open + close;
      if (indent === null) return open + parts.join(itemSep) + close;
      const pad = '\n' + ' '.repeat(indent * (depth + 1));
      return open + pad + parts.join(itemSep + pad) + '\n' + ' '.repeat(indent * depth) + close;
    } finally {
      seen.delete(v);
    }
  };
  return dump(value, 0);
}
