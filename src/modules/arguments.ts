// A built-in module's arguments as its check()/apply() receive them: converted once by what its
// schema says (schema/coerce.ts, the table generated from schemas/modules/ by
// scripts/gen-types.mjs). A module without a schema (Ansible's module code, run through
// ansible-core) gets its arguments as the user wrote them: its own code coerces them.
import { coerceArgs } from '../schema/coerce.js';
import { COERCION } from './generated/coercion.js';

/** `args` of the module named `module` (canonical name), coerced by its schema; throws CoercionError on a value the schema let through unconverted. */
export function coercedArgs<T extends object = Record<string, unknown>>(module: string, args: object): T {
  const spec = Object.hasOwn(COERCION, module) ? COERCION[module] : undefined;
  return (spec ? coerceArgs(args as Record<string, unknown>, spec) : args) as T;
}
