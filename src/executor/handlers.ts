// Handlers: run once per host at a flush point (end of each section, or meta:
// flush_handlers), in the order they are defined, when notified by name or `listen` topic.
import type { Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';
import { failHost, takeNotified } from './host-changes.js';
import type { Task } from '../playbook/model.js';
import { runTaskOnHosts } from './task-hosts.js';

/** a role's handler answers to 'name' and to 'role : name', and to its `listen` topics */
function handlerNames(h: Task): string[] {
  return [h.name, h.role && h.name ? `${h.role.name} : ${h.name}` : undefined, ...h.listen].filter(
    (x): x is string => typeof x === 'string',
  );
}

/**
 * A changed task notified a name no handler answers to: Ansible 2.14 stops with "The requested
 * handler … was not found" (ERROR_ON_MISSING_HANDLER); here the hosts that notified it fail and
 * the play stops, never a silent skip. `validate` warns at the task.
 */
function missingHandlers(ctx: RunContext, ps: PlayState, pending: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  const known = new Set(ps.handlers.flatMap(handlerNames));
  let missing = false;
  for (const [host, names] of pending) {
    const name = [...names].find((n) => !known.has(n) && !/\{\{|\{%/.test(n));
    if (name === undefined) continue;
    failHost(
      ctx,
      host,
      `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`,
    );
    missing = true;
  }
  if (missing) ps.aborted = true;
  return missing;
}

export async function runHandlers(ctx: RunContext, ps: PlayState, hosts: readonly string[], base: Inherited): Promise<void> {
  // a handler may notify another one: repeat until nothing is pending. Each round works on a
  // snapshot of what was notified, so every handler listening to a topic runs (once).
  for (let round = 0; round < 10; round++) {
    const pending = new Map<string, Set<string>>();
    for (const host of hosts) {
      const notified = takeNotified(ctx, host);
      if (notified) pending.set(host, notified);
    }
    if (pending.size === 0) return;
    if (missingHandlers(ctx, ps, pending)) return;
    // ps.handlers, read each round: include_role adds its role's handlers while the play runs
    for (const h of ps.handlers) {
      if (ctx.control.stopping) return;
      const names = handlerNames(h);
      const notified = hosts.filter((host) => ctx.states.get(host)!.active && names.some((n) => pending.get(host)?.has(n)));
      if (notified.length === 0) continue;
      const inh = h.role ? { ...base, role: h.role } : base;
      // an include_tasks handler runs its include (read now) on the notified hosts
      if (h.include) await ps.strategy.runNodes(ctx, ps, [h.include], notified, { ...inh, inHandler: true });
      else await runTaskOnHosts(ctx, ps, h, notified, inh, true);
    }
  }
}
