// Values that templates may call (`lookup(...)`) and Jinja's `namespace()` objects.
// Plain JS functions found in data are never called: only values marked here are.
export type TemplateFn = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

class TemplateCallable {}

const marked = new WeakMap<object, TemplateFn>();
const namespaces = new WeakSet<object>();

const takesUndefined = new WeakSet<object>();

/** `undefinedArgs`: an undefined argument reaches it as Undef (a macro: Jinja passes Undefined along, `x is defined` inside decides). */
export function templateFunction(fn: TemplateFn, opts: { readonly undefinedArgs?: boolean } = {}): unknown {
  const handle = Object.freeze(new TemplateCallable());
  marked.set(handle, fn);
  if (opts.undefinedArgs) takesUndefined.add(handle);
  return handle;
}

export function takesUndefinedArgs(v: unknown): boolean {
  return typeof v === 'object' && v !== null && takesUndefined.has(v);
}

export function templateFunctionOf(v: unknown): TemplateFn | undefined {
  return typeof v === 'object' && v !== null ? marked.get(v) : undefined;
}

export function makeNamespace(init: Record<string, unknown>): Record<string, unknown> {
  const ns = Object.assign(Object.create(null) as Record<string, unknown>, init);
  namespaces.add(ns);
  return ns;
}

export function isNamespace(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && namespaces.has(v);
}
