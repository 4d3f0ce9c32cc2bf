// Python string formatting: `'%s:%d' % (a, b)` / the `format` filter, and str.format().
import { typeError } from './errors.js';
import { isDict, isNumber, numberStr, ownValue, pyRepr, pyStr, pyType } from './values.js';

interface Spec {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | null;
  readonly type: string;
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s.padEnd(width);
  if (zero) {
    const sign = /^[-+ ]/.test(s) ? (s[0] as string) : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

function expStr(n: number, precision: number): string {
  const [m = '', e = '0'] = n.toExponential(precision).split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function number(v: unknown, type: string): number {
  if (isNumber(v)) return Number(v);
  throw typeError(`%${type} format: a real number is required, not ${pyType(v)}`);
}

function convert(v: unknown, spec: Spec): string {
  const { flags, precision } = spec;
  let s: string;
  switch (spec.type) {
    case 's':
      s = pyStr(v);
      if (precision !== null) s = s.slice(0, precision);
      return s;
    case 'r':
      return pyRepr(v);
    case 'd':
    case 'i':
    case 'u':
      s = String(Math.trunc(number(v, spec.type)));
      break;
    case 'f':
    case 'F':
      s = number(v, spec.type).toFixed(precision ?? 6);
      break;
    case 'e':
    case 'E':
      s = expStr(number(v, spec.type), precision ?? 6);
      if (spec.type === 'E') s = s.toUpperCase();
      break;
    case 'g':
    case 'G':
      s = numberStr(number(v, spec.type));
      break;
    case 'x':
    case 'X':
    case 'o': {
      const n = Math.trunc(number(v, spec.type));
      s = (n < 0 ? '-' : '') + Math.abs(n).toString(spec.type === 'o' ? 8 : 16);
      if (spec.type === 'X') s = s.toUpperCase();
      break;
    }
    default:
      throw typeError(`unsupported format character '${spec.type}'`);
  }
  if (flags.includes('+') && !s.startsWith('-')) s = '+' + s;
  else if (flags.includes(' ') && !s.startsWith('-')) s = ' ' + s;
  return s;
}

const PERCENT = /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])/g;

/** `fmt % args` with Python's printf-style rules (the common subset). */
export function percentFormat(fmt: string, value: unknown): string {
  const named = isDict(value) ? value : null;
  const args = named ? [] : Array.isArray(value) ? value : [value];
  let next = 0;
  const out = fmt.replace(
    PERCENT,
    (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, type: string) => {
      if (type === '%') return '%';
      let v: unknown;
      if (key !== undefined) {
        if (!named) throw typeError('format requires a mapping');
        const r = ownValue(named, key);
        if (!r.found) throw typeError(`format key '${key}' is missing`);
        v = r.value;
      } else {
        if (next >= args.length) throw typeError('not enough arguments for format string');
        v = args[next++];
      }
      const spec = { flags, width: width && width !== '*' ? Number(width) : 0, precision: prec !== undefined ? Number(prec) : null, type };
      return pad(convert(v, spec), spec.width, flags.includes('-'), flags.includes('0'));
    },
  );
  if (!named && next < args.length) throw typeError('not all arguments converted during string formatting');
  return out;
}

/** A str.format() spec: [[fill]align][sign][0][width][,][.precision][type]. */
function formatSpec(v: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([-+ ])?(0)?(\d+)?(,)?(?:\.(\d+))?([a-zA-Z%])?$/.exec(spec);
  if (!m) throw typeError(`invalid format specifier '${spec}'`);
  const [, fill = ' ', align, sign = '', zero, width, comma, prec, type] = m;
  let s: string;
  if (type === undefined || type === 's') {
    s = type === undefined && isNumber(v) && prec !== undefined ? number(v, 'g').toFixed(Number(prec)) : pyStr(v);
    if (type === 's' && prec !== undefined) s = s.slice(0, Number(prec));
  } else if (type === '%') {
    s = (number(v, '%') * 100).toFixed(prec !== undefined ? Number(prec) : 6) + '%';
  } else {
    s = convert(v, { flags: sign, width: 0, precision: prec !== undefined ? Number(prec) : null, type });
  }
  if (comma) s = s.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  const w = width ? Number(width) : 0;
  if (s.length >= w) return s;
  const a = align ?? (zero ? '=' : isNumber(v) ? '>' : '<');
  const f = zero && !align ? '0' : fill;
  const gap = w - s.length;
  if (a === '<') return s + f.repeat(gap);
  if (a === '>') return f.repeat(gap) + s;
  if (a === '^') return f.repeat(Math.floor(gap / 2)) + s + f.repeat(gap - Math.floor(gap / 2));
  const signCh = /^[-+ ]/.test(s) ? (s[0] as string) : '';
  return signCh + f.repeat(gap) + s.slice(signCh.length);
}

function field(path: string, args: readonly unknown[], kwargs: Record<string, unknown>, auto: { n: number }): unknown {
  const m = /^([^.[]*)(.*)$/.exec(path);
  const head = m?.[1] ?? '';
  let rest = m?.[2] ?? '';
  let v: unknown;
  if (head === '') v = args[auto.n++];
  else if (/^\d+$/.test(head)) v = args[Number(head)];
  else {
    const r = ownValue(kwargs, head);
    if (!r.found) throw typeError(`format: missing key '${head}'`);
    v = r.value;
  }
  if (v === undefined) throw typeError('format: replacement index out of range');
  while (rest) {
    const part = /^(?:\.(\w+)|\[([^\]]*)\])/.exec(rest);
    if (!part) throw typeError(`format: bad field '${path}'`);
    const key = part[1] ?? part[2] ?? '';
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)];
    else if (isDict(v)) v = ownValue(v, key).value;
    else v = undefined;
    if (v === undefined) throw typeError(`format: no field '${key}'`);
    rest = rest.slice(part[0].length);
  }
  return v;
}

/** Python str.format(). */
export function strFormat(fmt: string, args: readonly unknown[], kwargs: Record<string, unknown>): string {
  const auto = { n: 0 };
  return fmt.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, inner: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/.exec(inner ?? '');
    if (!m) throw typeError(`format: bad field '${whole}'`);
    const v = field(m[1] ?? '', args, kwargs, auto);
    const conv = m[2];
    const shown = conv === 'r' || conv === 'a' ? pyRepr(v) : conv === 's' ? pyStr(v) : v;
    return formatSpec(shown, m[3] ?? '');
  });
}
