// Handlers: run once per host at a flush point (end of each section, or meta:
// flush_handlers), in the order they are defined, when notified by name or `listen` topic.
import type { Task } from '../playbook/model.js';
import type { Inherited } from './keywords.js';
import type { PlayState } from './nodes.js';
import type { RunContext } from './run-context.js';
import { runTaskOnHosts } from './task-hosts.js';

export async function runHandlers(ctx: RunContext, ps: PlayState, handlers: readonly Task[], hosts: readonly string[], base: Inherited): Promise<void> {
  // a handler may notify another one defined after it: repeat until nothing is pending
  for (let round = 0; round < 10; round++) {
    let ran = false;
    for (const h of handlers) {
      if (ctx.control.stopping) return;
      const names = [h.name, ...h.listen].filter((x): x is string => typeof x === 'string');
      const notified = hosts.filter((host) => {
        const s = ctx.states.get(host)!;
        return s.active && names.some((n) => s.notified.has(n));
      });
      if (notified.length === 0) continue;
      for (const host of notified) for (const n of names) ctx.states.get(host)!.notified.delete(n);
      await runTaskOnHosts(ctx, ps, h, notified, base, true);
      ran = true;
    }
    if (!ran) return;
  }
}

export async function flushHandlersNow(ctx: RunContext, ps: PlayState, hosts: readonly string[], base: Inherited): Promise<void> {
  await runHandlers(ctx, ps, ps.play.handlers, hosts, base);
}
