// The test registry: `{{ value is name(args) }}`, and select/reject by test name.
import { isFloat } from '../core/python-float.js';
import { ansibleBoolean } from '../core/boolean.js';
import { arg, type Env, type Kwargs, type TestSpec } from './env.js';
import { IP_TESTS } from './filters-ip.js';
import { FILE_TESTS } from './tests-files.js';
import { filterError, typeError, Undef } from './errors.js';
import { reMatch, reSearch } from './regex.js';
import { isDict, isNumber, pyCompare, pyEq, pyIn, pyStr, pyType, truthy } from './values.js';

function num(v: unknown, test: string): number {
  if (!isNumber(v)) throw typeError(`the '${test}' test expects a number, got ${pyType(v)}`);
  return Number(v);
}

function result(key: string, test: string, want = true) {
  return (v: unknown): boolean => {
    if (!isDict(v)) throw typeError(`the '${test}' test expects a dictionary (a registered result), got ${pyType(v)}`);
    return truthy(v[key] ?? false) === want;
  };
}

function regexTest(mode: 'match' | 'search' | 'regex') {
  return (v: unknown, a: unknown[], kw: Kwargs): boolean => {
    const pattern = arg(a, kw, 0, 'pattern');
    if (typeof pattern !== 'string') throw filterError(`the '${mode}' test needs a pattern string`);
    const flags = { ignorecase: truthy(arg(a, kw, 1, 'ignorecase', false)), multiline: truthy(arg(a, kw, 2, 'multiline', false)) };
    const type = mode === 'regex' ? pyStr(arg(a, kw, 3, 'match_type', 'search')) : mode;
    const text = pyStr(v);
    if (type === 'match') return reMatch(pattern, text, flags) !== null;
    if (type === 'fullmatch') return reMatch(`(?:${pattern})$`, text, flags)?.[0] === text;
    if (type === 'search') return reSearch(pattern, text, flags) !== null;
    throw filterError(`regex: unknown match_type '${type}'`);
  };
}

/** LooseVersion-like parts: numbers compare numerically, words lexically; numbers sort first. */
function versionParts(v: string): (number | string)[] {
  return Array.from(v.matchAll(/\d+|[a-zA-Z]+/g), (m) => (/^\d/.test(m[0]) ? Number(m[0]) : m[0]));
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1;
    if (typeof p === 'number') return -1;
    if (typeof q === 'number') return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

const VERSION_OPS: Readonly<Record<string, (c: number) => boolean>> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};

function version(v: unknown, a: unknown[], kw: Kwargs): boolean {
  const op = pyStr(arg(a, kw, 1, 'operator', 'eq'));
  const check = Object.hasOwn(VERSION_OPS, op) ? VERSION_OPS[op] : undefined;
  if (!check) throw filterError(`version: invalid operator '${op}'`);
  return check(compareVersions(pyStr(v), pyStr(arg(a, kw, 0, 'version', ''))));
}

const cmp = (f: (c: number) => boolean) => (v: unknown, a: unknown[]) => f(pyCompare(v, a[0]));
const eq = (v: unknown, a: unknown[]): boolean => pyEq(v, a[0]);
const ne = (v: unknown, a: unknown[]): boolean => !pyEq(v, a[0]);

function subset(v: unknown, a: unknown[]): boolean {
  const [x, y] = [v, a[0]];
  if (!Array.isArray(x) || !Array.isArray(y)) throw typeError('subset/superset compare lists');
  return x.every((i) => pyIn(i, y));
}

export const TESTS: Readonly<Record<string, TestSpec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, TestSpec>, {
    defined: { fn: (v: unknown) => !(v instanceof Undef), loose: true },
    undefined: { fn: (v: unknown) => v instanceof Undef, loose: true },
    none: { fn: (v: unknown) => v === null },
    string: { fn: (v: unknown) => typeof v === 'string' },
    number: { fn: (v: unknown) => isNumber(v) },
    integer: { fn: (v: unknown) => typeof v === 'number' && Number.isInteger(v) },
    float: { fn: (v: unknown) => isFloat(v) },
    boolean: { fn: (v: unknown) => typeof v === 'boolean' },
    true: { fn: (v: unknown) => v === true },
    false: { fn: (v: unknown) => v === false },
    mapping: { fn: (v: unknown) => isDict(v) },
    iterable: { fn: (v: unknown) => typeof v === 'string' || Array.isArray(v) || isDict(v) },
    sequence: { fn: (v: unknown) => typeof v === 'string' || Array.isArray(v) || isDict(v) },
    list: { fn: (v: unknown) => Array.isArray(v) },
    callable: { fn: () => false },
    truthy: { fn: (v: unknown, _a: unknown[], kw: Kwargs) => convertedTruthy(v, kw) },
    falsy: { fn: (v: unknown, _a: unknown[], kw: Kwargs) => !convertedTruthy(v, kw) },
    equalto: { fn: eq },
    eq: { fn: eq },
    '==': { fn: eq },
    sameas: { fn: (v: unknown, a: unknown[]) => v === a[0] },
    ne: { fn: ne },
    '!=': { fn: ne },
    lt: { fn: cmp((c) => c < 0) },
    '<': { fn: cmp((c) => c < 0) },
    lessthan: { fn: cmp((c) => c < 0) },
    le: { fn: cmp((c) => c <= 0) },
    '<=': { fn: cmp((c) => c <= 0) },
    gt: { fn: cmp((c) => c > 0) },
    '>': { fn: cmp((c) => c > 0) },
    greaterthan: { fn: cmp((c) => c > 0) },
    ge: { fn: cmp((c) => c >= 0) },
    '>=': { fn: cmp((c) => c >= 0) },
    in: { fn: (v: unknown, a: unknown[]) => pyIn(v, a[0]) },
    contains: { fn: (v: unknown, a: unknown[]) => pyIn(a[0], v) },
    match: { fn: regexTest('match') },
    search: { fn: regexTest('search') },
    regex: { fn: regexTest('regex') },
    succeeded: { fn: result('failed', 'succeeded', false) },
    success: { fn: result('failed', 'success', false) },
    successful: { fn: result('failed', 'successful', false) },
    failed: { fn: result('failed', 'failed') },
    failure: { fn: result('failed', 'failure') },
    changed: { fn: result('changed', 'changed') },
    change: { fn: result('changed', 'change') },
    skipped: { fn: result('skipped', 'skipped') },
    skip: { fn: result('skipped', 'skip') },
    unreachable: { fn: result('unreachable', 'unreachable') },
    reachable: { fn: result('unreachable', 'reachable', false) },
    odd: { fn: (v: unknown) => Math.abs(num(v, 'odd') % 2) === 1 },
    even: { fn: (v: unknown) => num(v, 'even') % 2 === 0 },
    divisibleby: { fn: (v: unknown, a: unknown[]) => num(v, 'divisibleby') % num(a[0], 'divisibleby') === 0 },
    version: { fn: version },
    version_compare: { fn: version },
    subset: { fn: subset },
    superset: { fn: (v: unknown, a: unknown[]) => subset(a[0], [v]) },
    all: { fn: (v: unknown) => Array.isArray(v) && v.every(truthy) },
    any: { fn: (v: unknown) => Array.isArray(v) && v.some(truthy) },
    lower: { fn: (v: unknown) => typeof v === 'string' && v === v.toLowerCase() },
    upper: { fn: (v: unknown) => typeof v === 'string' && v === v.toUpperCase() },
    ...IP_TESTS,
    ...FILE_TESTS,
  } satisfies Record<string, { fn: (v: unknown, a: unknown[], kw: Kwargs, env: Env) => boolean; loose?: boolean }>),
);

/** truthy(value, convert_bool=False): boolean() when asked and it applies, else Python truthiness. */
function convertedTruthy(v: unknown, kw: Kwargs): boolean {
  const b = truthy(kw['convert_bool'] ?? false) ? ansibleBoolean(v) : undefined;
  return b ?? truthy(v);
}
