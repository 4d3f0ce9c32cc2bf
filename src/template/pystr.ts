// Python str methods that JS lacks or does differently: split, strip(chars), title, ...
import { callError } from './errors.js';

const WS = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u2028\u2029';

export function pySplit(s: string, sep: string | null, maxsplit = -1): string[] {
  if (sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest) {
      if (maxsplit >= 0 && out.length >= maxsplit) {
        out.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  if (sep === '') throw callError('empty separator');
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
}

export function pyRsplit(s: string, sep: string | null, maxsplit = -1): string[] {
  if (maxsplit < 0) return pySplit(s, sep);
  if (sep === null) {
    const out: string[] = [];
    let rest = s.replace(/\s+$/, '');
    while (rest) {
      if (out.length >= maxsplit) {
        out.unshift(rest);
        break;
      }
      const m = /\s+(?=\S*$)/.exec(rest);
      if (!m) {
        out.unshift(rest);
        break;
      }
      out.unshift(rest.slice(m.index + m[0].length));
      rest = rest.slice(0, m.index);
    }
    return out;
  }
  if (sep === '') throw callError('empty separator');
  const parts = s.split(sep);
  if (parts.length <= maxsplit + 1) return parts;
  const cut = parts.length - maxsplit;
  return [parts.slice(0, cut).join(sep), ...parts.slice(cut)];
}

export function pyStrip(s: string, chars: string | null, mode: 'both' | 'left' | 'right'): string {
  const set = chars ?? WS;
  let a = 0;
  let b = s.length;
  if (mode !== 'right') while (a < b && set.includes(s[a] as string)) a++;
  if (mode !== 'left') while (b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

export function pyCapitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** Python title(): upper-case the first letter of each run of letters. */
export function pyTitle(s: string): string {
  return s.replace(/[A-Za-z\u00c0-\uffff]+/g, (w) => pyCapitalize(w));
}

export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  const re = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(last, keepends ? m.index + m[0].length : m.index));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

export function pyZfill(s: string, width: number): string {
  const sign = s.startsWith('-') || s.startsWith('+') ? (s[0] as string) : '';
  return sign + s.slice(sign.length).padStart(width - sign.length, '0');
}

/** str.center as CPython pads it: an odd margin puts the extra fill on the left when the width is odd. */
export function pyCenter(s: string, width: number, fill = ' '): string {
  const marg = width - s.length;
  if (marg <= 0) return s;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return fill.repeat(left) + s + fill.repeat(marg - left);
}

/** Python slicing of lists and strings. */
export function pySlice<T>(items: readonly T[], start: number | null, stop: number | null, step: number | null): T[] {
  const n = items.length;
  const st = step ?? 1;
  if (st === 0) throw callError('slice step cannot be zero');
  const norm = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    const x = v < 0 ? v + n : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: T[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, n);
    const b = norm(stop, n, 0, n);
    for (let i = a; i < b; i += st) out.push(items[i] as T);
  } else {
    const a = norm(start, n - 1, -1, n - 1);
    const b = norm(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(items[i] as T);
  }
  return out;
}
