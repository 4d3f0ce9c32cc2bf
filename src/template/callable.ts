// Values that templates may call (`lookup(...)`) and Jinja's `namespace()` objects.
// Plain JS functions found in data are never called: only values marked here are.
export type TemplateFn = (args: unknown[], kwargs: Record<string, unknown>) => unknown;

class TemplateCallable {}

const marked = new WeakMap<object, TemplateFn>();
const namespaces = new WeakSet<object>();

export function templateFunction(fn: TemplateFn): unknown {
  const handle = Object.freeze(new TemplateCallable());
  marked.set(handle, fn);
  return handle;
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
