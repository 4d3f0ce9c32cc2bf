// Module arguments are coerced once, here, after templating and validation and before the
// module's check()/apply() (executor/invoke.ts): the schema says what an argument is
// (`$ref bool`, `int`, `number`, `stringList`), scripts/gen-types.mjs reads that into an
// ArgCoercion per module (src/modules/generated/coercion.ts) and the generated argument types
// declare the coerced values, so a module reads `args.follow` as a boolean. Ansible accepts
// `follow: yes` and `timeout: "300"`; Ansible's module code (the ansible-core fallback) does its
// own coercion and has no ArgCoercion, so its arguments reach it as the user wrote them.
import { ansibleBoolean, notABoolean } from '../core/boolean.js';
import { isPyFloat } from '../core/python-float.js';

/** What the schema of one module says about the arguments that need converting. */
export interface ArgCoercion {
  /** `$ref: #/definitions/bool`: Ansible's booleans (core/boolean.ts) → boolean */
  readonly boolean?: readonly string[];
  /** `int` / `number`: a number, or its text ("300") → number */
  readonly number?: readonly string[];
  /** `stringList`: a list, or a comma-separated string ("a, b") → string[] */
  readonly list?: readonly string[];
  /** alias → the argument it stands for ("alias of X"), copied to X when X is absent, before X's default */
  readonly aliases?: Readonly<Record<string, string>>;
  /** the schema's `default` of those arguments, applied when the argument is absent (or null) */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** arguments with a list of choices (an `enum` of their own): a null one is refused, as Ansible's choices refuse None */
  readonly choices?: Readonly<Record<string, readonly string[]>>;
  /** non-boolean arguments with a default: a null one stays null (Ansible hands the module None, not the default) */
  readonly nullKept?: readonly string[];
}

/** One argument's value the schema let through but that is not what it says (an unrendered `{{` in a boolean...). */
export class CoercionError extends Error {}

function toBoolean(name: string, v: unknown): boolean {
  const b = ansibleBoolean(v);
  if (b === undefined) throw new CoercionError(`${name}: ${notABoolean(v)}`);
  return b;
}

function toNumber(name: string, v: unknown): number {
  const n = typeof v === 'number' || isPyFloat(v) ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n)) throw new CoercionError(`${name}: '${String(v)}' is not a number`);
  return n;
}

function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `args` with the schema's kinds converted and its defaults filled in; a new object, `args` is not changed. Throws CoercionError. */
export function coerceArgs(args: Readonly<Record<string, unknown>>, spec: ArgCoercion): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  const absent = (name: string): boolean => out[name] === undefined || out[name] === null;
  for (const [alias, of] of Object.entries(spec.aliases ?? {})) if (absent(of) && !absent(alias)) out[of] = out[alias];
  for (const [name, dflt] of Object.entries(spec.defaults ?? {})) if (absent(name)) out[name] = dflt;
  const convert = (names: readonly string[] | undefined, to: (name: string, v: unknown) => unknown): void => {
    for (const name of names ?? []) {
      const v = out[name];
      if (v === undefined || v === null) delete out[name];
      else out[name] = to(name, v);
    }
  };
  convert(spec.boolean, toBoolean);
  convert(spec.number, toNumber);
  convert(spec.list, (_name, v) => toList(v));
  return out;
}

/** A null argument Ansible refuses, and its message. */
export interface NullProblem {
  readonly arg: string;
  readonly message: string;
}

/**
 * A module's arguments given as null (`owner: ~`, a variable that renders to None), as Ansible's
 * AnsibleModule reads None: not given for most (`mode: ~` leaves the mode alone), false for a
 * boolean with a default (the module reads None as false: `force: ~` does not overwrite),
 * refused for an argument with choices (Ansible's message), and kept as null for another
 * argument with a default (the module gets None; the schema says whether null is a value).
 * Only the arguments the schema declares (`declared`): set_fact's variables keep their nulls.
 */
export function withoutNulls(
  args: Readonly<Record<string, unknown>>,
  spec: ArgCoercion,
  declared: readonly string[],
): { args: Record<string, unknown>; problems: NullProblem[] } {
  const out: Record<string, unknown> = { ...args };
  const problems: NullProblem[] = [];
  for (const name of declared) {
    if (out[name] !== null) continue;
    const choices = spec.choices?.[name];
    if (choices) {
      problems.push({ arg: name, message: `value of ${name} must be one of: ${choices.join(', ')}, got: None` });
      delete out[name]; // said once, not again by the schema
    } else if (spec.boolean?.includes(name) && spec.defaults?.[name] !== undefined) out[name] = false;
    else if (!spec.nullKept?.includes(name)) delete out[name];
  }
  return { args: out, problems };
}
