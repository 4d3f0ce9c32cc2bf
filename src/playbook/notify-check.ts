// A `notify:` that names no handler would silently never run it (a config changed, etcd not
// restarted). Ansible 2.14's syntax check accepts it and fails the run only when the task
// notifies (reports changed); so here `validate` warns at the task, and the run fails the host
// that notifies it (executor/handlers.ts).
import { suggest } from '../core/suggest.js';
import type { LoadContext } from './context.js';
import type { Task, TaskNode } from './model.js';

function walk(nodes: readonly TaskNode[], visit: (n: TaskNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (n.kind === 'block') {
      walk(n.block, visit);
      walk(n.rescue, visit);
      walk(n.always, visit);
    }
  }
}

export function checkNotify(ctx: LoadContext, sections: readonly (readonly TaskNode[])[], handlers: readonly Task[]): void {
  let dynamicHandlers = false; // include_role may bring handlers only known at run time
  for (const s of sections)
    walk(s, (n) => {
      if (n.kind === 'include_role') dynamicHandlers = true;
    });
  if (dynamicHandlers) return;
  const names = new Set<string>();
  for (const h of handlers) {
    if (h.name) names.add(h.name);
    if (h.name && h.role) names.add(`${h.role.name} : ${h.name}`);
    for (const l of h.listen) names.add(l);
  }
  const check = (t: Task): void => {
    for (const n of t.notify) {
      if (/\{\{|\{%/.test(n) || names.has(n)) continue;
      const s = suggest(n, names);
      const known = [...names].map((x) => `'${x}'`).join(', ') || 'none';
      ctx.add({
        pos: t.pos,
        message: `notify: no handler is named or listens to '${n}'${s ? ` (did you mean '${s}'?)` : ` (handlers: ${known})`}; a host where this task changes fails (as Ansible's "requested handler was not found")`,
        severity: 'warning',
      });
    }
  };
  for (const s of [...sections, handlers])
    walk(s, (n) => {
      if (n.kind === 'task') check(n);
    });
}
