// Python-flavoured views of JS values: type names, truthiness, str()/repr(), ==, ordering.
import { isNamespace, templateFunctionOf } from './callable.js';
import { compareDateTimes, dateTimeRepr, dateTimeStr, isDateTime } from './datetime.js';
import { typeError, Undef } from './errors.js';
import { floatRepr, PyFloat } from '../core/python-float.js';

export type Dict = Record<string, unknown>;

export function isDict(v: unknown): v is Dict {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || isNamespace(v);
}

/** A Python int, float or bool (`Number(v)` is its value). */
export function isNumber(v: unknown): v is number | boolean | PyFloat {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

/** Own data property of a plain object/array, never a getter or a prototype member. */
/**
 * A value computed on first read (the engine's own views, e.g. hostvars[other host]); never
 * produced from playbook data. Created by the executor through `lazyValue()`.
 */
export class Lazy {
  #fn: (() => unknown) | undefined;
  #value: unknown;
  constructor(fn: () => unknown) {
    this.#fn = fn;
  }
  get(): unknown {
    if (this.#fn) {
      this.#value = this.#fn();
      this.#fn = undefined;
    }
    return this.#value;
  }
}

export function ownValue(obj: object, key: string): { found: boolean; value: unknown } {
  if (key === '__proto__') return { found: false, value: undefined };
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (d === undefined || !('value' in d)) return { found: false, value: undefined };
  if (d.value instanceof Lazy) return { found: true, value: d.value.get() };
  return { found: true, value: d.value as unknown };
}

/** Arrays a tuple expression made (`(a, b)`, `{{ a, b }}`): Python prints them `('a', 'b')`. */
const TUPLES = new WeakSet<readonly unknown[]>();

export function markTuple<T extends unknown[]>(items: T): T {
  TUPLES.add(items);
  return items;
}

export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return TUPLES.has(v) ? 'tuple' : 'list';
  if (v instanceof Undef) return 'AnsibleUndefined';
  if (templateFunctionOf(v)) return 'function';
  if (isNamespace(v)) return 'Namespace';
  if (isDateTime(v)) return v.kind;
  if (isDict(v)) return 'dict';
  return 'object';
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

/** Python str() of a plain number: an integral one is an int, any other a float. */
export function numberStr(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return floatRepr(n);
}

/** Python str(). */
export function pyStr(v: unknown): string {
  if (isDateTime(v)) return dateTimeStr(v);
  return typeof v === 'string' ? v : pyRepr(v);
}

export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + q;
}

/** Python repr(). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return numberStr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'string') return strRepr(v);
  if (Array.isArray(v)) {
    if (!TUPLES.has(v)) return '[' + v.map(pyRepr).join(', ') + ']';
    return '(' + v.map(pyRepr).join(', ') + (v.length === 1 ? ',)' : ')');
  }
  if (isDict(v))
    return (
      '{' +
      Object.entries(v)
        .map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`)
        .join(', ') +
      '}'
    );
  if (v instanceof Undef) return '';
  if (isDateTime(v)) return dateTimeRepr(v);
  return `<${pyType(v)}>`;
}

export function pyEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (isNumber(a) && isNumber(b)) return Number(a) === Number(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isDateTime(a) && isDateTime(b)) return compareDateTimes(a, b) === 0;
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEq(a[k], b[k]));
  }
  return false;
}

/** Python ordering; raises for unorderable pairs like Python 3 does. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (isNumber(a) && isNumber(b)) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (isDateTime(a) && isDateTime(b)) {
    const c = compareDateTimes(a, b);
    if (c !== undefined) return c;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
  }
  throw typeError(`'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`);
}

/** `x in container`. */
export function pyIn(item: unknown, container: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${pyType(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (isDict(container))
    return (typeof item === 'string' || isNumber(item)) && typeof item !== 'boolean' && ownValue(container, String(item)).found;
  throw typeError(`argument of type '${pyType(container)}' is not iterable`);
}

/** Python iteration: lists, dict keys, string characters. */
export function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isDict(v)) return Object.keys(v);
  throw typeError(`'${pyType(v)}' object is not iterable`);
}

/** Jinja's message wording for an object in "has no attribute" errors. */
export function objectTypeRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  return `${pyType(v)} object`;
}

export const FALSE_STRINGS: ReadonlySet<string> = new Set(['n', 'no', 'f', 'false', 'off', '0', '0.0', '']);
