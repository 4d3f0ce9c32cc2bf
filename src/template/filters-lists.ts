// Filters on lists and dicts: join, length, first/last, min/max/sum, sort, unique, map,
// select/reject(attr), flatten, set operations, zip, combine, dict2items, extract ...
import { binary } from './operators.js';
import { arg, findIn, setKey, type Env, type FilterSpec, type Kwargs } from './env.js';
import { defined, filterError, typeError, Undef } from './errors.js';
import { isDict, iterate, isNumber, pyCompare, pyEq, pyIn, pyStr, pyType, truthy, type Dict } from './values.js';
import { table } from '../core/table.js';

function list(v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' || isDict(v)) return iterate(v);
  throw typeError(`${filter} expects a list, got ${pyType(v)}`);
}

function dict(v: unknown, filter: string): Dict {
  if (!isDict(v)) throw typeError(`${filter} expects a dictionary, got ${pyType(v)}`);
  return v;
}

function keyFn(env: Env, _kw: Kwargs, attribute: unknown, caseSensitive: boolean): (x: unknown) => unknown {
  return (x) => {
    const v = attribute === null || attribute === undefined ? x : defined(env.attribute(x, pyStr(attribute)));
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
}

function uniq(items: readonly unknown[], key: (x: unknown) => unknown = (x) => x): unknown[] {
  const out: unknown[] = [];
  const keys: unknown[] = [];
  for (const x of items) {
    const k = key(x);
    if (!keys.some((y) => pyEq(y, k))) {
      keys.push(k);
      out.push(x);
    }
  }
  return out;
}

function minMax(sign: 1 | -1) {
  return (v: unknown, _a: unknown[], kw: Kwargs, env: Env): unknown => {
    const items = list(v, sign > 0 ? 'max' : 'min');
    const key = keyFn(env, kw, arg([], kw, 0, 'attribute', null), truthy(arg([], kw, 0, 'case_sensitive', false)));
    if (items.length === 0) return new Undef('', `No ${sign > 0 ? 'largest' : 'smallest'} item, sequence was empty.`);
    return items.reduce((best, x) => (pyCompare(key(x), key(best)) * sign > 0 ? x : best));
  };
}

function flatten(items: readonly unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    if (Array.isArray(x) && (levels === null || levels > 0)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else if (!(skipNulls && x === null)) out.push(x);
  }
  return out;
}

function selectLike(attr: boolean, keep: boolean) {
  return (v: unknown, a: unknown[], kw: Kwargs, env: Env): unknown[] => {
    const items = list(v, 'select');
    const [first, ...rest] = a;
    const testArgs = attr ? rest.slice(1) : rest;
    const testName = attr ? rest[0] : first;
    return items.filter((x) => {
      const value = attr ? env.attribute(x, pyStr(first)) : x;
      const ok = testName === undefined ? truthy(defined(value)) : env.applyTest(pyStr(testName), value, testArgs, kw);
      return ok === keep;
    });
  };
}

function mapFilter(v: unknown, a: unknown[], kw: Kwargs, env: Env): unknown[] {
  const items = list(env.materialize(v), 'map');
  if (Object.hasOwn(kw, 'attribute')) {
    const path = pyStr(kw['attribute']);
    const hasDefault = Object.hasOwn(kw, 'default');
    return items.map((x) => {
      const r = env.attribute(x, path);
      return r instanceof Undef ? (hasDefault ? kw['default'] : defined(r)) : r;
    });
  }
  const [name, ...rest] = a;
  if (typeof name !== 'string') throw filterError('map: expects a filter name or attribute=');
  return items.map((x) => env.applyFilter(name, x, rest, kw));
}

function extract(v: unknown, a: unknown[], _kw: Kwargs, env: Env): unknown {
  const [container, morekeys] = a;
  if (container === undefined) throw filterError('extract: expects a container');
  const key = isNumber(v) ? Number(v) : pyStr(v);
  let r = env.attribute(container, key);
  const more = env.materialize(morekeys);
  if (more !== undefined && more !== null) {
    for (const k of Array.isArray(more) ? more : [more]) r = env.attribute(defined(r), isNumber(k) ? Number(k) : pyStr(k));
  }
  return defined(r);
}

function combine(v: unknown, a: unknown[], kw: Kwargs): Dict {
  const recursive = truthy(kw['recursive'] ?? false);
  const listMerge = pyStr(kw['list_merge'] ?? 'replace');
  const dicts = [v, ...a].flatMap((d) => (Array.isArray(d) ? d : [d])).map((d) => dict(d, 'combine'));
  const merge = (x: Dict, y: Dict): Dict => {
    const out: Dict = {};
    for (const [k, val] of Object.entries(x)) setKey(out, k, val);
    for (const [k, val] of Object.entries(y)) {
      const old = out[k];
      if (recursive && isDict(old) && isDict(val)) setKey(out, k, merge(old, val));
      else if (Array.isArray(old) && Array.isArray(val) && listMerge !== 'replace') {
        const merged = { append: [...old, ...val], prepend: [...val, ...old], keep: old }[listMerge];
        const rp = listMerge === 'append_rp' ? [...old.filter((o) => !val.some((n) => pyEq(n, o))), ...val] : undefined;
        const pp = listMerge === 'prepend_rp' ? [...val, ...old.filter((o) => !val.some((n) => pyEq(n, o)))] : undefined;
        const r = merged ?? rp ?? pp;
        if (r === undefined) throw filterError(`combine: unknown list_merge '${listMerge}'`);
        setKey(out, k, r);
      } else setKey(out, k, val);
    }
    return out;
  };
  return dicts.reduce((acc, d) => merge(acc, d), {} as Dict);
}

function zip(v: unknown, a: unknown[], kw: Kwargs, longest: boolean): unknown[][] {
  const lists = [v, ...a].map((x) => list(x, 'zip'));
  const n = longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length));
  const fill = kw['fillvalue'] ?? null;
  return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : fill)));
}

export const LIST_FILTERS: Readonly<Record<string, FilterSpec>> = table({
  join: {
    fn: (v, a, kw, env) => {
      const items = list(v, 'join');
      const attr = arg(a, kw, 1, 'attribute', null);
      const get = keyFn(env, kw, attr, true);
      return items.map((x) => pyStr(get(x))).join(pyStr(arg(a, kw, 0, 'd', '')));
    },
  },
  length: { fn: (v) => list(v, 'length').length },
  count: { fn: (v) => list(v, 'count').length },
  first: { fn: (v) => list(v, 'first')[0] ?? new Undef('', 'No first item, sequence was empty.') },
  last: {
    fn: (v) => {
      const l = list(v, 'last');
      return l.length ? l[l.length - 1] : new Undef('', 'No last item, sequence was empty.');
    },
  },
  min: { fn: minMax(-1) },
  max: { fn: minMax(1) },
  sum: {
    fn: (v, a, kw, env) => {
      const get = keyFn(env, kw, arg(a, kw, 0, 'attribute', null), true);
      return list(v, 'sum').reduce(
        (acc: unknown, x) => {
          const y = get(x);
          if (!isNumber(acc) || !isNumber(y)) throw typeError(`unsupported operand type(s) for +: '${pyType(acc)}' and '${pyType(y)}'`);
          return binary('+', acc, y);
        },
        arg(a, kw, 1, 'start', 0),
      );
    },
  },
  sort: {
    fn: (v, a, kw, env) => {
      const reverse = truthy(arg(a, kw, 0, 'reverse', false));
      const key = keyFn(env, kw, arg(a, kw, 2, 'attribute', null), truthy(arg(a, kw, 1, 'case_sensitive', false)));
      const sorted = [...list(v, 'sort')].map((x) => [key(x), x] as const).sort((x, y) => pyCompare(x[0], y[0]));
      const out = sorted.map((p) => p[1]);
      return reverse ? out.reverse() : out;
    },
  },
  unique: {
    fn: (v, a, kw, env) =>
      uniq(list(v, 'unique'), keyFn(env, kw, arg(a, kw, 1, 'attribute', null), truthy(arg(a, kw, 0, 'case_sensitive', false)))),
  },
  reverse: { fn: (v) => (typeof v === 'string' ? Array.from(v).reverse().join('') : [...list(v, 'reverse')].reverse()) },
  list: { fn: (v) => [...list(v, 'list')] },
  map: { fn: mapFilter, raw: true },
  extract: { fn: extract, raw: true },
  select: { fn: selectLike(false, true) },
  reject: { fn: selectLike(false, false) },
  selectattr: { fn: selectLike(true, true) },
  rejectattr: { fn: selectLike(true, false) },
  flatten: {
    fn: (v, a, kw) => {
      const levels = arg(a, kw, 0, 'levels', null);
      return flatten(list(v, 'flatten'), levels === null ? null : Number(levels), truthy(arg(a, kw, 1, 'skip_nulls', true)));
    },
  },
  difference: { fn: (v, a) => uniq(list(v, 'difference').filter((x) => !pyIn(x, list(a[0], 'difference')))) },
  intersect: { fn: (v, a) => uniq(list(v, 'intersect').filter((x) => pyIn(x, list(a[0], 'intersect')))) },
  union: { fn: (v, a) => uniq([...list(v, 'union'), ...list(a[0], 'union')]) },
  symmetric_difference: {
    fn: (v, a) => {
      const [x, y] = [list(v, 'symmetric_difference'), list(a[0], 'symmetric_difference')];
      return uniq([...x.filter((i) => !pyIn(i, y)), ...y.filter((i) => !pyIn(i, x))]);
    },
  },
  zip: { fn: (v, a, kw) => zip(v, a, kw, false) },
  zip_longest: { fn: (v, a, kw) => zip(v, a, kw, true) },
  combine: { fn: combine },
  dict2items: {
    fn: (v, a, kw) => {
      const [k, val] = [pyStr(arg(a, kw, 0, 'key_name', 'key')), pyStr(arg(a, kw, 1, 'value_name', 'value'))];
      return Object.entries(dict(v, 'dict2items')).map(([key, x]) => {
        const o: Dict = {};
        setKey(o, k, key);
        setKey(o, val, x);
        return o;
      });
    },
  },
  items2dict: {
    fn: (v, a, kw) => {
      const [k, val] = [pyStr(arg(a, kw, 0, 'key_name', 'key')), pyStr(arg(a, kw, 1, 'value_name', 'value'))];
      const out: Dict = {};
      for (const item of list(v, 'items2dict')) {
        const d = dict(item, 'items2dict');
        if (!Object.hasOwn(d, k) || !Object.hasOwn(d, val)) throw filterError(`items2dict: each item needs '${k}' and '${val}'`);
        setKey(out, pyStr(d[k]), d[val]);
      }
      return out;
    },
  },
  dict: {
    fn: (v) => {
      const out: Dict = {};
      for (const pair of list(v, 'dict')) {
        if (!Array.isArray(pair) || pair.length !== 2) throw typeError('dict: needs a list of key/value pairs');
        setKey(out, pyStr(pair[0]), pair[1]);
      }
      return out;
    },
  },
  items: { fn: (v) => (v === null ? [] : Object.entries(dict(v, 'items')).map(([k, x]) => [k, x])) },
  keys: { fn: (v) => Object.keys(dict(v, 'keys')) },
  dictsort: {
    fn: (v, a, kw) => {
      const byValue = pyStr(arg(a, kw, 1, 'by', 'key')) === 'value';
      const cs = truthy(arg(a, kw, 0, 'case_sensitive', false));
      const norm = (x: unknown): unknown => (!cs && typeof x === 'string' ? x.toLowerCase() : x);
      const pairs = Object.entries(dict(v, 'dictsort')).sort((x, y) => pyCompare(norm(byValue ? x[1] : x[0]), norm(byValue ? y[1] : y[0])));
      return truthy(arg(a, kw, 2, 'reverse', false)) ? pairs.reverse() : pairs;
    },
  },
  values: { fn: (v) => Object.values(dict(v, 'values')) },
  batch: {
    fn: (v, a) => {
      const items = list(v, 'batch');
      const n = Number(a[0]);
      if (!(n > 0)) throw filterError('batch: size must be positive');
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += n) {
        const chunk = items.slice(i, i + n);
        while (a.length > 1 && chunk.length < n) chunk.push(a[1]);
        out.push(chunk);
      }
      return out;
    },
  },
});

export function hasFilter(registry: Readonly<Record<string, FilterSpec>>, name: string): boolean {
  return findIn(registry, name) !== undefined;
}
