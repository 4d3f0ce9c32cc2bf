// Keys in the order Python's json.dumps(sort_keys=True) writes them, at every depth: how Ansible's
// callbacks show a result or a diff and how ansible-inventory dumps variables.

/** A copy of `v` whose objects (plain or null-prototype) list their keys sorted; other values as they are. */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v === null || typeof v !== 'object') return v;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
  return out;
}
