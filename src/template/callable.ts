// Values that templates may call (`lookup(...)`) and Jinja's `namespace()` objects.
// Plain JS functions found in data are never called: only values marked here are.
export type TemplateFn = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

/** A value templates may call: the function in a private field (no template can reach it), frozen. */
class TemplateCallable {
  readonly #fn: TemplateFn;
  readonly #undefinedArgs: boolean;
  constructor(fn: TemplateFn, undefinedArgs: boolean) {
    this.#fn = fn;
    this.#undefinedArgs = undefinedArgs;
  }
  static fnOf(v: object): TemplateFn | undefined {
    return #fn in v ? v.#fn : undefined;
  }
  static undefinedArgs(v: object): boolean {
    return #undefinedArgs in v && v.#undefinedArgs;
  }
}

const namespaces = new WeakSet<object>();

/**
 * `undefinedArgs`: an undefined argument reaches it as Undef (a macro: Jinja passes Undefined along, `x is defined` inside decides).
 * A class with private fields, not a WeakMap of marked handles: the lookups are made per host
 * per task (executor/lookups.ts), and a WeakMap entry each was measurable at 500 hosts.
 */
export function templateFunction(fn: TemplateFn, opts: { readonly undefinedArgs?: boolean } = {}): unknown {
  return Object.freeze(new TemplateCallable(fn, opts.undefinedArgs === true));
}

export function takesUndefinedArgs(v: unknown): boolean {
  return typeof v === 'object' && v !== null && TemplateCallable.undefinedArgs(v);
}

export function templateFunctionOf(v: unknown): TemplateFn | undefined {
  return typeof v === 'object' && v !== null ? TemplateCallable.fnOf(v) : undefined;
}

export function makeNamespace(init: Record<string, unknown>): Record<string, unknown> {
  const ns = Object.assign(Object.create(null) as Record<string, unknown>, init);
  namespaces.add(ns);
  return ns;
}

export function isNamespace(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && namespaces.has(v);
}
