// Ansible's booleans, in one place. Two functions because Ansible has two:
// - `ansibleBoolean` is ansible.module_utils.parsing.convert_bool.boolean(): what module
//   arguments, keywords (`become: yes`, `run_once: y`), connection variables and the
//   `truthy(convert_bool=True)` test use. Strings are lowered and trimmed; 1/1.0 and 0/0.0 count.
// - `boolFilter` is the `| bool` filter (plugins/filter/core.py to_bool), which is narrower:
//   only yes/on/1/true (and the number 1) are true, everything else false, `y`/`t` included.
import { PyFloat } from './python-float.js';

const TRUE: ReadonlySet<string> = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE: ReadonlySet<string> = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** boolean(value, strict=True): the boolean, or undefined when `v` is not one of Ansible's spellings. */
export function ansibleBoolean(value: unknown): boolean | undefined {
  const v = value instanceof PyFloat ? value.value : value;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  return TRUE.has(s) ? true : FALSE.has(s) ? false : undefined;
}

/** Ansible's message for a value that is not a boolean. */
export function notABoolean(v: unknown): string {
  return `The value '${String(v)}' is not a valid boolean.  Valid booleans include: ${[...TRUE, ...FALSE].map((x) => `'${x}'`).join(', ')}, 1, 0, True, False`;
}

/** The `| bool` filter (to_bool): None stays None, only yes/on/1/true (any case) and 1 are true. */
export function boolFilter(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  const s = typeof v === 'string' ? v.toLowerCase() : v instanceof PyFloat ? v.value : v;
  return s === 'yes' || s === 'on' || s === '1' || s === 'true' || s === 1;
}
