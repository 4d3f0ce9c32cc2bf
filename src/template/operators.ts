// Arithmetic, concatenation and comparison with Python semantics.
import type { BinaryOp, CompareOp } from './ast.js';
import { typeError } from './errors.js';
import { percentFormat } from './format.js';
import { isNumber, pyCompare, pyEq, pyIn, pyStr, pyType } from './values.js';
import { isFloat, PyFloat, pyFloat } from '../core/python-float.js';

function unsupported(op: string, a: unknown, b: unknown): never {
  throw typeError(`unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`);
}

function repeat<T>(items: readonly T[], n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return out;
}

export function binary(op: BinaryOp, a: unknown, b: unknown): unknown {
  if (op === '~') return pyStr(a) + pyStr(b);
  const r = arithmetic(op, a, b);
  // Python: a float on either side makes a float (`7.0 // 2` is 3.0), `/` always does, and so does `**` of a negative exponent
  const float = op === '/' || (typeof r === 'number' && (isFloat(a) || isFloat(b) || (op === '**' && Number(b) < 0)));
  return float && typeof r === 'number' ? pyFloat(r) : r;
}

function arithmetic(op: Exclude<BinaryOp, '~'>, a: unknown, b: unknown): unknown {
  const bothNum = isNumber(a) && isNumber(b);
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '+':
      if (bothNum) return x + y;
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      return unsupported(op, a, b);
    case '-':
      return bothNum ? x - y : unsupported(op, a, b);
    case '*':
      if (bothNum) return x * y;
      if (typeof a === 'string' && isNumber(b) && Number.isInteger(y)) return a.repeat(Math.max(0, y));
      if (typeof b === 'string' && isNumber(a) && Number.isInteger(x)) return b.repeat(Math.max(0, x));
      if (Array.isArray(a) && isNumber(b) && Number.isInteger(y)) return repeat(a, y);
      if (Array.isArray(b) && isNumber(a) && Number.isInteger(x)) return repeat(b, x);
      return unsupported(op, a, b);
    case '/':
      if (!bothNum) return unsupported(op, a, b);
      if (y === 0) throw typeError('division by zero');
      return x / y;
    case '//':
      if (!bothNum) return unsupported(op, a, b);
      if (y === 0) throw typeError('integer division or modulo by zero');
      return Math.floor(x / y);
    case '%':
      if (typeof a === 'string') return percentFormat(a, b);
      if (!bothNum) return unsupported(op, a, b);
      if (y === 0) throw typeError('integer division or modulo by zero');
      return ((x % y) + y) % y;
    case '**':
      return bothNum ? x ** y : unsupported(op, a, b);
  }
}

export function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    case 'in':
      return pyIn(a, b);
    case 'not in':
      return !pyIn(a, b);
  }
}

export function negate(v: unknown): number | PyFloat {
  if (!isNumber(v)) throw typeError(`bad operand type for unary -: '${pyType(v)}'`);
  return v instanceof PyFloat ? new PyFloat(-v.value) : -Number(v);
}
