// Tasks a host may never reach: the `when:` conditions around the tasks being read, and the
// verdict on a module runbook cannot run is the catalog's (modules/catalog.ts moduleVerdict):
// inside a guard it is a warning and a task that fails if reached, outside an error.
import type { LoadContext } from './context.js';

/** Run `read` with a `when:` (if any) on the guard stack: tasks read inside may never run. */
export function guarded<T>(ctx: LoadContext, when: unknown, read: () => T): T {
  const conds = conditions(when);
  if (conds.length === 0) return read();
  ctx.guards.push(conds.map(String).join(' and '));
  try {
    return read();
  } finally {
    ctx.guards.pop();
  }
}

/** A `when:` / `until:` value as a list of conditions. */
export function conditions(v: unknown): (string | boolean)[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x): x is string | boolean => typeof x === 'string' || typeof x === 'boolean');
  if (typeof v === 'string' || typeof v === 'boolean') return [v];
  return [];
}
