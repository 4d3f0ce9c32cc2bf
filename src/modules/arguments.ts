// A built-in module's arguments as its check()/apply() receive them: converted once by what its
// schema says (schema/coerce.ts, the table generated from schemas/modules/ by
// scripts/gen-types.mjs). A module without a schema (Ansible's module code, run through
// ansible-core) gets its arguments as the user wrote them: its own code coerces them.
import { plainNumbers } from '../core/python-float.js';
import { coerceArgs, withoutNulls, type NullProblem } from '../schema/coerce.js';
import { COERCION } from './generated/coercion.js';
import { CATALOG_ENTRIES } from './generated/catalog.js';

/**
 * A built-in module's arguments with its null ones read as Ansible reads None (schema/coerce.ts
 * withoutNulls), and the ones Ansible refuses; a module without a schema (Ansible's module code)
 * keeps them, its own code reads None.
 */
export function nullsResolved(module: string, args: Record<string, unknown>): { args: Record<string, unknown>; problems: NullProblem[] } {
  const entry = Object.hasOwn(CATALOG_ENTRIES, module) ? CATALOG_ENTRIES[module] : undefined;
  if (!entry) return { args, problems: [] };
  return withoutNulls(args, (Object.hasOwn(COERCION, module) ? COERCION[module] : undefined) ?? {}, entry.args);
}

/**
 * The arguments that are playbook data staying Python data (variables, messages, a file's
 * content): a float `2.0` (core/python-float.ts) reaches them as one, `*` for all of a module's.
 */
const PYTHON_DATA_ARGS: Readonly<Record<string, readonly string[]>> = {
  debug: ['*'],
  set_fact: ['*'],
  add_host: ['*'],
  assert: ['*'],
  fail: ['*'],
  copy: ['content'],
};

/** A built-in module's arguments with plain numbers for PyFloats, but in its PYTHON_DATA_ARGS. */
function withPlainNumbers(module: string, args: Record<string, unknown>): Record<string, unknown> {
  // Ansible's module code (no schema here) gets its floats as floats (modules/ansible/module.ts)
  if (!Object.hasOwn(CATALOG_ENTRIES, module)) return args;
  const kept = Object.hasOwn(PYTHON_DATA_ARGS, module) ? PYTHON_DATA_ARGS[module]! : [];
  if (kept.includes('*')) return args;
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, kept.includes(k) ? v : plainNumbers(v)]));
}

/** `args` of the module named `module` (canonical name), coerced by its schema; throws CoercionError on a value the schema let through unconverted. */
export function coercedArgs<T extends object = Record<string, unknown>>(module: string, written: object): T {
  const spec = Object.hasOwn(COERCION, module) ? COERCION[module] : undefined;
  const args = withPlainNumbers(module, written as Record<string, unknown>);
  const resolved = nullsResolved(module, args as Record<string, unknown>).args;
  return (spec ? coerceArgs(resolved, spec) : resolved) as T;
}
