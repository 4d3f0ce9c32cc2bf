// Python floats whose value is integral. A JS number cannot tell 2 from 2.0, and Ansible prints
// them differently (`version: 2.0` → `{{ version }}` is `2.0`, `{{ 10 / 5 }}` is `2.0`, `{{ 3 }}`
// is `3`). A non-integral number (0.5, inf, nan) can only be a float and stays a plain number;
// an integral float (2.0, -0.0, 1e16) is a PyFloat. Made where Python makes floats: YAML and JSON
// floats (core/yaml-ansible.ts, parseJsonKeepingFloats), Python literals (core/python-literal.ts),
// the template's float literals and arithmetic (template/operators.ts) and filters (float, round).
// valueOf() makes it a number to `Number()`, `<` and `+`; toString() and toJSON() give what the
// plain number gave, so code that does not know floats sees what it saw before. What does know:
// pyType/pyRepr/pyEq in template/values.ts, core/python-json.ts (the reporter, Ansible's module code).

export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return String(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A Python float of value `n`: a PyFloat when integral, else the number itself. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

/** A Python float: a PyFloat, or a number that is not an integer (0.5, inf, nan). */
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** Python's repr() of a float: `2.0`, `-0.0`, `0.1`, `1e+16`, `1.5e-07`, `inf`, `nan`. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const [mant = '0', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (!Number.isInteger(n)) return String(n);
    return (Object.is(n, -0) ? '-0' : String(n)) + '.0';
  }
  const sign = exp < 0 ? '-' : '+';
  return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** `v` with every PyFloat a plain number again (a new value where one was inside): for code that checks `typeof` (schemas, module arguments). */
export function plainNumbers(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) {
    const items = v.map(plainNumbers);
    return items.some((x, i) => x !== v[i]) ? items : v;
  }
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = plainNumbers(x);
      if (y !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = y;
    }
    return out ?? v;
  }
  return v;
}

const MARK = '\u0000pyfloat:';

const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** JSON.parse, except that a number written as a float (`2.0`, `1e3`) becomes a Python float. */
export function parseJsonKeepingFloats(text: string): unknown {
  let floats = false;
  const marked = text.replace(JSON_TOKEN, (tok) => {
    if (tok.startsWith('"') || !/[.eE]/.test(tok) || !Number.isInteger(Number(tok))) return tok;
    floats = true;
    return `"\\u0000pyfloat:${tok}"`; // JSON text: the escape of MARK's NUL
  });
  if (!floats) return JSON.parse(text) as unknown;
  return JSON.parse(marked, (_k, v: unknown) =>
    typeof v === 'string' && v.startsWith(MARK) ? pyFloat(Number(v.slice(MARK.length))) : v,
  ) as unknown;
}
