// Functions every template can call: range(), dict(), namespace(), now().
import { makeNamespace, templateFunction } from './callable.js';
import { currentDateTime, strftime } from './datetime.js';
import { arg } from './env.js';
import { callError, typeError } from './errors.js';
import { isDict, pyType, truthy } from './values.js';
import { table } from '../core/table.js';

const MAX_RANGE = 100_000;

function int(v: unknown, what: string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(`'${pyType(v)}' object cannot be interpreted as an integer (${what})`);
  return v;
}

export function pyRange(args: readonly unknown[]): number[] {
  if (args.length < 1 || args.length > 3) throw callError(`range expected 1 to 3 arguments, got ${args.length}`);
  const [a, b, c] = args.map((x) => int(x, 'range'));
  const start = args.length === 1 ? 0 : (a ?? 0);
  const stop = args.length === 1 ? (a ?? 0) : (b ?? 0);
  const step = c ?? 1;
  if (step === 0) throw callError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (out.length >= MAX_RANGE) throw callError(`range too big, max ${MAX_RANGE} items`);
    out.push(i);
  }
  return out;
}

function pyDict(args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const [src] = args;
  if (isDict(src)) Object.assign(out, src);
  else if (Array.isArray(src)) {
    for (const pair of src) {
      if (!Array.isArray(pair) || pair.length !== 2) throw typeError('dict() needs a list of key/value pairs');
      out[String(pair[0])] = pair[1];
    }
  } else if (src !== undefined) throw typeError(`'${pyType(src)}' object is not iterable`);
  return Object.assign(out, kwargs);
}

/** Ansible's now(utc=False, fmt=None): a naive datetime, or its strftime text when fmt is given. */
export function pyNow(args: unknown[], kwargs: Record<string, unknown>, at: Date = new Date()): unknown {
  if (args.length > 2) throw typeError(`now() takes from 0 to 2 positional arguments but ${args.length} were given`);
  for (const k of Object.keys(kwargs)) if (k !== 'utc' && k !== 'fmt') throw typeError(`now() got an unexpected keyword argument '${k}'`);
  const dt = currentDateTime(truthy(arg(args, kwargs, 0, 'utc', false)), at);
  const fmt = arg(args, kwargs, 1, 'fmt', null);
  if (!truthy(fmt)) return dt;
  if (typeof fmt !== 'string') throw typeError(`strftime() argument 1 must be str, not ${pyType(fmt)}`);
  return strftime(dt.parts, fmt);
}

const BUILTINS: Readonly<Record<string, unknown>> = table({
  range: templateFunction((args) => pyRange(args)),
  dict: templateFunction(pyDict),
  namespace: templateFunction((args, kwargs) => makeNamespace(pyDict(args, kwargs))),
  now: templateFunction((args, kwargs) => pyNow(args, kwargs)),
});

export function builtinFunction(name: string): unknown {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
}
