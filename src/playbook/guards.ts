// Tasks a host may never reach: the `when:` conditions around the tasks being read, and the
// single verdict on a module runbook cannot run (a warning inside a guard, an error outside).
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

/**
 * The one verdict on a module runbook cannot run (the ansible-core fallback plugs in here):
 * undefined when it runs, else the reason.
 */
export function unsupportedModule(ctx: LoadContext, name: string): string | undefined {
  if (ctx.catalog.canonical(name)) return undefined;
  if (ctx.catalog.isAnsibleOnly(name)) return `module '${name}' is not supported by runbook (it is an Ansible module runbook does not implement; see docs/modules.md)`;
  return undefined; // an unknown name: a typo, reported with a did-you-mean by the caller
}

/** A `when:` / `until:` value as a list of conditions. */
export function conditions(v: unknown): (string | boolean)[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((x): x is string | boolean => typeof x === 'string' || typeof x === 'boolean');
  if (typeof v === 'string' || typeof v === 'boolean') return [v];
  return [];
}
