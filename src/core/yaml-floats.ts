// Python floats in YAML output (the to_yaml filters, the TTY reporter's data): a PyFloat
// (core/python-float.ts) is written as a float, `2.0`, not `2` nor a mapping. Apart from
// python-float.ts so that what reads floats does not load the yaml package.
import { Scalar } from 'yaml';
import { PyFloat } from './python-float.js';

/** A `yaml` stringify replacer that writes a PyFloat as a float. */
export function yamlFloats(this: unknown, key: unknown, v: unknown): unknown {
  const raw = (this as Record<string, unknown> | undefined)?.[String(key)];
  if (!(raw instanceof PyFloat)) return v;
  const s = new Scalar(raw.value);
  s.minFractionDigits = 1;
  return s;
}
