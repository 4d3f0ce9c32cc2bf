// Python's json.dumps of plain JSON data: its default separators (", " and ": "; "," and ": "
// with an indent), ensure_ascii on unless asked otherwise. How Ansible sends a json body (uri)
// and how its default callback shows a result after `=>` (ensure_ascii=False, keys sorted first).
// A whole float (core/python-float.ts) is written as Python writes it: `2.0`, `1e+16`.
import { floatRepr, PyFloat } from './python-float.js';

export function pythonJson(v: unknown, opts: { readonly ensureAscii?: boolean; readonly indent?: number } = {}): string {
  const ascii = opts.ensureAscii ?? true;
  const dump = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') {
      const s = JSON.stringify(x);
      return ascii ? s.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : s;
    }
    if (typeof x !== 'object') return JSON.stringify(x) ?? 'null';
    if (x instanceof PyFloat) return Number.isFinite(x.value) ? floatRepr(x.value) : JSON.stringify(x.value);
    const parts = Array.isArray(x)
      ? x.map((y) => dump(y, depth + 1))
      : Object.entries(x as Record<string, unknown>).map(([k, y]) => `${dump(k, depth + 1)}: ${dump(y, depth + 1)}`);
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    if (parts.length === 0) return open + close;
    if (opts.indent === undefined) return open + parts.join(', ') + close;
    const pad = '\n' + ' '.repeat(opts.indent * (depth + 1));
    return open + pad + parts.join(',' + pad) + '\n' + ' '.repeat(opts.indent * depth) + close;
  };
  return dump(v, 0);
}
