// Expression evaluation. Missing values travel as `Undef` only where Jinja tolerates them
// (`is defined`, `default`); everywhere else they raise TemplateError kind 'undefined'.
import { PyFloat } from '../core/python-float.js';
import type { Expr } from './ast.js';
import { takesUndefinedArgs, templateFunctionOf, type TemplateFn } from './callable.js';
import { getItem, lookupName, materialize, type Ctx } from './context.js';
import { findIn, newKwargs, setKey, type Env, type Kwargs } from './env.js';
import { callError, defined, filterError, TemplateError, typeError, Undef } from './errors.js';
import { FILTERS } from './filters.js';
import { filterResult } from './native.js';
import { callMethod } from './methods.js';
import { binary, compare, negate } from './operators.js';
import { pySlice } from './pystr.js';
import { TESTS } from './tests.js';
import { isDict, isNumber, markTuple, ownValue, pyStr, pyType, truthy } from './values.js';

export function evalExpr(ctx: Ctx, e: Expr): unknown {
  return defined(evalLoose(ctx, e));
}

/** Evaluated and deep-rendered: what filters, output and callers get. */
export function evalValue(ctx: Ctx, e: Expr): unknown {
  return materialize(ctx, evalExpr(ctx, e));
}

function labelOf(e: Expr): string {
  switch (e.t) {
    case 'name':
      return e.name;
    case 'attr':
      return `${labelOf(e.obj)}.${e.name}`;
    case 'call':
      return `${labelOf(e.callee)}()`;
    default:
      return '';
  }
}

/** Names, attributes and subscripts, with the dotted label used in 'undefined' errors. */
function evalRef(ctx: Ctx, e: Expr): [unknown, string] {
  switch (e.t) {
    case 'name':
      return [lookupName(ctx, e.name), e.name];
    case 'attr': {
      const [base, label] = evalRef(ctx, e.obj);
      return [getItem(ctx, base, e.name, label), label ? `${label}.${e.name}` : e.name];
    }
    case 'item': {
      const [base, label] = evalRef(ctx, e.obj);
      const key = evalValue(ctx, e.key);
      const k = typeof key === 'boolean' ? Number(key) : key;
      return [getItem(ctx, base, k, label), typeof k === 'number' ? `${label}[${k}]` : `${label}.${pyStr(k)}`];
    }
    default:
      return [evalLoose(ctx, e), labelOf(e)];
  }
}

function index(ctx: Ctx, e: Expr | null): number | null {
  if (e === null) return null;
  const v = evalExpr(ctx, e);
  if (v === null) return null;
  if (!isNumber(v) || !Number.isInteger(Number(v))) throw typeError('slice indices must be integers or None');
  return Number(v);
}

export function evalLoose(ctx: Ctx, e: Expr): unknown {
  switch (e.t) {
    case 'const':
      return e.value;
    case 'name':
    case 'attr':
    case 'item':
      return evalRef(ctx, e)[0];
    case 'slice': {
      const obj = evalValue(ctx, e.obj);
      const [a, b, c] = [index(ctx, e.start), index(ctx, e.stop), index(ctx, e.step)];
      if (typeof obj === 'string') return pySlice(Array.from(obj), a, b, c).join('');
      if (Array.isArray(obj)) return pySlice(obj, a, b, c);
      throw typeError(`'${pyType(obj)}' object is not subscriptable`);
    }
    case 'list':
      return e.items.map((i) => evalExpr(ctx, i));
    case 'tuple':
      return markTuple(e.items.map((i) => evalExpr(ctx, i)));
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of e.entries) {
        const written = evalValue(ctx, k);
        const key = written instanceof PyFloat ? written.value : written;
        if (typeof key === 'object' && key !== null) throw typeError(`unhashable type: '${pyType(key)}'`);
        setKey(out, typeof key === 'number' ? String(key) : pyStr(key), evalExpr(ctx, v));
      }
      return out;
    }
    case 'neg':
      return negate(evalExpr(ctx, e.arg));
    case 'pos': {
      const v = evalExpr(ctx, e.arg);
      if (!isNumber(v)) throw typeError(`bad operand type for unary +: '${pyType(v)}'`);
      return Number(v);
    }
    case 'not':
      return !truthy(evalExpr(ctx, e.arg));
    case 'binary':
      return binary(e.op, evalValue(ctx, e.left), evalValue(ctx, e.right));
    case 'and': {
      const l = evalExpr(ctx, e.left);
      return truthy(l) ? evalExpr(ctx, e.right) : l;
    }
    case 'or': {
      const l = evalExpr(ctx, e.left);
      return truthy(l) ? l : evalExpr(ctx, e.right);
    }
    case 'compare': {
      let left = evalValue(ctx, e.first);
      for (const { op, expr } of e.rest) {
        // `x in d` reads d's keys only: its values are not rendered (`'k' in vars`, `'h' in hostvars`)
        const raw = evalExpr(ctx, expr);
        const right = (op === 'in' || op === 'not in') && isDict(raw) ? raw : materialize(ctx, raw);
        if (!compare(op, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'cond':
      if (truthy(evalExpr(ctx, e.test))) return evalLoose(ctx, e.then);
      if (e.else) return evalLoose(ctx, e.else);
      return new Undef('', 'the inline if-expression evaluated to false and no else section was defined');
    case 'filter':
    case 'test': {
      const env = makeEnv(ctx);
      const fspec = e.t === 'filter' ? findIn(FILTERS, e.name) : undefined;
      const tspec = e.t === 'test' ? findIn(TESTS, e.name) : undefined;
      if (e.t === 'filter' && !fspec) throw filterError(`no filter named '${e.name}'`);
      if (e.t === 'test' && !tspec) throw filterError(`no test named '${e.name}'`);
      const loose = (fspec ?? tspec)?.loose === true;
      const raw = fspec?.raw === true;
      const value = loose ? evalLoose(ctx, e.arg) : evalExpr(ctx, e.arg);
      // default()'s fallback is only looked at when needed: an undefined fallback is an error only
      // if it is used (Jinja2 passes Undefined along; Ansible's undefined chains)
      const args = e.args.map((a) => (raw ? evalExpr(ctx, a) : loose && e.t === 'filter' ? evalLoose(ctx, a) : evalValue(ctx, a)));
      const kw = kwargs(ctx, e.kwargs, raw);
      if (e.t === 'filter') return env.applyFilter(e.name, value, args, kw);
      return env.applyTest(e.name, value, args, kw) !== e.negated;
    }
    case 'call': {
      // a macro takes an undefined argument as Jinja's Undefined (its `x is defined` decides)
      const loose = e.callee.t === 'name' && takesUndefinedArgs(evalLoose(ctx, e.callee));
      const arg = (a: Expr): unknown => (loose ? looseValue(ctx, a) : evalValue(ctx, a));
      const kw = newKwargs();
      for (const [k, v] of e.kwargs) setKey(kw, k, arg(v));
      return call(ctx, e.callee, e.args.map(arg), kw);
    }
  }
}

/** Evaluated and deep-rendered, or Undef when it is undefined. */
function looseValue(ctx: Ctx, e: Expr): unknown {
  const v = evalLoose(ctx, e);
  return v instanceof Undef ? v : materialize(ctx, v);
}

function kwargs(ctx: Ctx, pairs: readonly (readonly [string, Expr])[], raw: boolean): Kwargs {
  const kw = newKwargs();
  for (const [k, v] of pairs) setKey(kw, k, raw ? evalExpr(ctx, v) : evalValue(ctx, v));
  return kw;
}

function invoke(fn: TemplateFn, args: unknown[], kw: Kwargs, label: string): unknown {
  try {
    const r = fn(args, kw);
    return r === undefined ? null : r;
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    throw callError(`${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function call(ctx: Ctx, callee: Expr, args: unknown[], kw: Kwargs): unknown {
  if (callee.t === 'attr') {
    const [recvRaw, label] = evalRef(ctx, callee.obj);
    const recv = defined(recvRaw);
    if (isDict(recv)) {
      const own = ownValue(recv, callee.name);
      const fn = own.found ? templateFunctionOf(own.value) : undefined;
      if (fn) return invoke(fn, args, kw, `${label}.${callee.name}()`);
    }
    return callMethod(materialize(ctx, recv), callee.name, args, kw);
  }
  const f = evalExpr(ctx, callee);
  const fn = templateFunctionOf(f);
  const label = labelOf(callee) || pyType(f);
  if (!fn) throw callError(`'${label}' is not callable`);
  return invoke(fn, args, kw, `${label}()`);
}

export function makeEnv(ctx: Ctx): Env {
  const env: Env = {
    applyFilter(name, value, args, kw) {
      const spec = findIn(FILTERS, name);
      if (!spec) throw filterError(`no filter named '${name}'`);
      const input = value instanceof Undef ? (spec.loose ? value : defined(value)) : materialize(ctx, value);
      const margs = spec.raw ? args : args.map((a) => materialize(ctx, a));
      try {
        const r = spec.fn(input, margs, kw, env);
        return r === undefined ? null : filterResult(name, r);
      } catch (err) {
        if (err instanceof TemplateError) throw err;
        throw filterError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    applyTest(name, value, args, kw) {
      const spec = findIn(TESTS, name);
      if (!spec) throw filterError(`no test named '${name}'`);
      const input = value instanceof Undef ? (spec.loose ? value : defined(value)) : materialize(ctx, value);
      return spec.fn(input, args, kw, env);
    },
    attribute(obj, path) {
      let cur = obj;
      const parts = typeof path === 'number' ? [path] : path.split('.');
      for (const p of parts) {
        const key = typeof p === 'string' && /^-?\d+$/.test(p) && Array.isArray(cur) ? Number(p) : p;
        cur = getItem(ctx, cur, key, '');
        if (cur instanceof Undef) return cur;
      }
      return materialize(ctx, cur);
    },
    materialize: (v) => materialize(ctx, v),
  };
  return env;
}
