// Lookup tables indexed by names that come from YAML or templates (keywords, modules, filters,
// escapes): null-prototype objects, so `constructor`, `toString` or `__proto__` from a playbook
// find nothing instead of Object.prototype's functions.

export function table<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
