// What filters and tests see of the engine, and their registry shapes.
import { filterError } from './errors.js';

export type Kwargs = Record<string, unknown>;

export interface Env {
  applyFilter(name: string, value: unknown, args: unknown[], kw: Kwargs): unknown;
  applyTest(name: string, value: unknown, args: unknown[], kw: Kwargs): boolean;
  /** `obj.a.b` with lazy rendering; an Undef when missing. */
  attribute(obj: unknown, path: string | number): unknown;
  /** Deep-render template strings held in variables. */
  materialize(v: unknown): unknown;
}

export type FilterFn = (value: unknown, args: unknown[], kw: Kwargs, env: Env) => unknown;
export type TestFn = (value: unknown, args: unknown[], kw: Kwargs, env: Env) => boolean;

export interface FilterSpec {
  readonly fn: FilterFn;
  /** the input may be undefined (default, mandatory) */
  readonly loose?: boolean;
  /** arguments are passed without deep rendering (map, extract) */
  readonly raw?: boolean;
}

export interface TestSpec {
  readonly fn: TestFn;
  readonly loose?: boolean;
}

/** Argument `index` or keyword `name`, else `dflt`. */
export function arg(args: readonly unknown[], kw: Kwargs, index: number, name: string, dflt: unknown = undefined): unknown {
  if (Object.hasOwn(kw, name)) return kw[name];
  return index < args.length ? args[index] : dflt;
}

export function strArg(args: readonly unknown[], kw: Kwargs, index: number, name: string, filter: string, dflt?: string): string {
  const v = arg(args, kw, index, name, dflt);
  if (typeof v !== 'string') throw filterError(`${filter}: '${name}' must be a string`);
  return v;
}

/** A keyword argument bag safe against '__proto__'. */
export function newKwargs(): Kwargs {
  return Object.create(null) as Kwargs;
}

export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function findIn<T>(registry: Readonly<Record<string, T>>, name: string): T | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '');
  return Object.hasOwn(registry, short) ? registry[short] : undefined;
}
