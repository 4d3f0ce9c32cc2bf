// Filters on scalars and strings: default, bool/int/float/string, case, trim, replace, split,
// format, ternary, type_debug, mandatory, quote, indent, abs/round.
import { boolFilter } from '../core/boolean.js';
import { arg, strArg, type FilterSpec, type Kwargs } from './env.js';
import { filterError, TemplateError, typeError, Undef } from './errors.js';
import { percentFormat } from './format.js';
import { pyCapitalize, pyCenter, pySplit, pyStrip, pyTitle } from './pystr.js';
import { isNumber, pyStr, pyType, truthy } from './values.js';
import { RANDOM_FILTER } from './filter-random.js';
import { table } from '../core/table.js';
import { isFloat, isPyFloat, PyFloat, pyFloat } from '../core/python-float.js';

function str(v: unknown, filter: string): string {
  if (typeof v === 'string') return v;
  if (v === null || (typeof v === 'object' && !isPyFloat(v))) throw typeError(`${filter} expects a string, got ${pyType(v)}`);
  return pyStr(v);
}

function toInt(value: unknown, dflt: unknown, base: number): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumber(value)) return Number.isFinite(Number(value)) ? Math.trunc(Number(value)) : dflt;
  if (typeof value !== 'string') return dflt;
  const s = value.trim().replace(/_/g, '');
  if (base === 10) {
    if (/^[-+]?\d+$/.test(s)) return Number(s);
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Math.trunc(Number(s));
    return dflt;
  }
  const body = s.replace(/^([-+]?)0[xob]/i, '$1');
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (!body || !new RegExp(`^[-+]?[${digits}]+$`, 'i').test(body)) return dflt;
  return parseInt(body, base);
}

function toFloat(value: unknown, dflt: unknown): unknown {
  if (isNumber(value)) return pyFloat(Number(value));
  if (typeof value !== 'string') return dflt;
  const s = value.trim().toLowerCase();
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) return pyFloat(Number(s));
  if (/^[-+]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (s === 'nan') return NaN;
  return dflt;
}

/** Jinja's round: Python's round() for `common` (an int stays an int), a float for ceil and floor. */
function round(value: unknown, args: unknown[], kw: Kwargs): number | PyFloat {
  if (!isNumber(value)) throw typeError(`round expects a number, got ${pyType(value)}`);
  const n = Number(value);
  const precision = Number(arg(args, kw, 0, 'precision', 0));
  const method = String(arg(args, kw, 1, 'method', 'common'));
  const f = 10 ** precision;
  const x = n * f;
  let r: number;
  if (method === 'common') r = Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.sign(x) * Math.round(Math.abs(x));
  else if (method === 'ceil') r = Math.ceil(x);
  else if (method === 'floor') r = Math.floor(x);
  else throw filterError('round: method must be common, ceil or floor');
  return method === 'common' && !isFloat(value) ? r / f : pyFloat(r / f);
}

/** POSIX shell quoting, as Python's shlex.quote. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'"'"'`) + "'";
}

function indent(value: unknown, args: unknown[], kw: Kwargs): string {
  const s = str(value, 'indent');
  const w = arg(args, kw, 0, 'width', 4);
  const pad = typeof w === 'string' ? w : ' '.repeat(Number(w));
  const first = truthy(arg(args, kw, 1, 'first', false));
  const blank = truthy(arg(args, kw, 2, 'blank', false));
  const lines = s.split('\n');
  return lines
    .map((line, i) => {
      if (i === 0 && !first) return line;
      if (!blank && line.trim() === '') return line;
      return pad + line;
    })
    .join('\n');
}

function mandatory(value: unknown, args: unknown[]): unknown {
  if (value instanceof Undef) {
    const msg = typeof args[0] === 'string' ? args[0] : `Mandatory variable '${value.variable}' not defined.`;
    throw new TemplateError('undefined', msg, { variable: value.variable });
  }
  return value;
}

function defaultFilter(value: unknown, args: unknown[], kw: Kwargs): unknown {
  const dflt = arg(args, kw, 0, 'default_value', '');
  const boolean = truthy(arg(args, kw, 1, 'boolean', false));
  if (value instanceof Undef) return dflt;
  if (boolean && !truthy(value)) return dflt;
  return value;
}

const splitFilter = (value: unknown, args: unknown[], kw: Kwargs): unknown => {
  const sep = arg(args, kw, 0, 'sep', null);
  const max = arg(args, kw, 1, 'maxsplit', -1);
  if (sep !== null && typeof sep !== 'string') throw typeError('split: separator must be a string');
  return pySplit(str(value, 'split'), sep, Number(max));
};

export const CORE_FILTERS: Readonly<Record<string, FilterSpec>> = table({
  default: { fn: defaultFilter, loose: true },
  d: { fn: defaultFilter, loose: true },
  mandatory: { fn: mandatory, loose: true },
  bool: { fn: (v) => boolFilter(v) },
  int: {
    fn: (v, a, kw) => toInt(v, arg(a, kw, 0, 'default', 0), Number(arg(a, kw, 1, 'base', 10))),
  },
  float: { fn: (v, a, kw) => toFloat(v, arg(a, kw, 0, 'default', new PyFloat(0))) },
  string: { fn: (v) => pyStr(v) },
  lower: { fn: (v) => str(v, 'lower').toLowerCase() },
  upper: { fn: (v) => str(v, 'upper').toUpperCase() },
  capitalize: { fn: (v) => pyCapitalize(str(v, 'capitalize')) },
  title: { fn: (v) => pyTitle(str(v, 'title')) },
  trim: {
    fn: (v, a, kw) => {
      const chars = arg(a, kw, 0, 'chars', null);
      return pyStrip(str(v, 'trim'), typeof chars === 'string' ? chars : null, 'both');
    },
  },
  replace: {
    fn: (v, a, kw) => {
      const s = str(v, 'replace');
      const old = strArg(a, kw, 0, 'old', 'replace');
      const rep = strArg(a, kw, 1, 'new', 'replace');
      const count = arg(a, kw, 2, 'count', null);
      if (count === null) return s.split(old).join(rep);
      const parts = s.split(old);
      const n = Number(count);
      return parts.slice(0, n + 1).join(rep) + (parts.length > n + 1 ? old + parts.slice(n + 1).join(old) : '');
    },
  },
  split: { fn: splitFilter },
  format: { fn: (v, a) => percentFormat(str(v, 'format'), a) },
  ternary: {
    fn: (v, a, kw) => {
      if (v === null && a.length > 2) return a[2];
      return truthy(v) ? arg(a, kw, 0, 'true_val', true) : arg(a, kw, 1, 'false_val', false);
    },
  },
  type_debug: { fn: (v) => pyType(v) },
  quote: { fn: (v) => shellQuote(v === null ? '' : pyStr(v)) },
  indent: { fn: indent },
  abs: {
    fn: (v) => {
      if (!isNumber(v)) throw typeError(`bad operand type for abs(): '${pyType(v)}'`);
      return isFloat(v) ? pyFloat(Math.abs(Number(v))) : Math.abs(Number(v));
    },
  },
  round: { fn: round },
  center: {
    fn: (v, a, kw) => {
      return pyCenter(str(v, 'center'), Number(arg(a, kw, 0, 'width', 80)));
    },
  },
  wordcount: { fn: (v) => pySplit(str(v, 'wordcount'), null).length },
  random: RANDOM_FILTER,
});
