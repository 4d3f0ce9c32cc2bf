// Handlers are plain tasks. `import_tasks` or a `block` under `handlers:` (its tasks become
// handlers, with the import's or block's keywords, as in Ansible) is flattened here. Of a block
// with rescue/always only the `block:` tasks are handlers: 2.14's PlayIterator takes
// `h for b in play.handlers for h in b.block`, so its rescue/always never run (a warning says
// so). An include_tasks handler (Ansible's HandlerTaskInclude) is a
// handler task that carries the include: its tasks run, read then, when it is notified.
import type { LoadContext } from './context.js';
import { INHERITED_SCALARS } from './keywords.js';
import type { Block, Task, TaskKeywords, TaskNode } from './model.js';

/** a task's own environment replaces the block's here: handlers run flattened, not nested */
const SCALARS = [...Object.values(INHERITED_SCALARS), 'environment'] as const;

/** the import's keywords given to one of its tasks (the task's own win) */
function withKeywords(kw: TaskKeywords, t: Task): Task {
  const out: Record<string, unknown> = {
    ...t,
    when: [...kw.when, ...t.when],
    tags: [...kw.tags, ...t.tags],
    vars: { ...kw.vars, ...t.vars },
  };
  for (const k of SCALARS) if (t[k] === undefined && kw[k] !== undefined) out[k] = kw[k];
  return out as unknown as Task;
}

export function handlerTasks(ctx: LoadContext, nodes: readonly TaskNode[]): Task[] {
  const out: Task[] = [];
  for (const n of nodes) {
    if (n.kind === 'task') out.push(n);
    else if (n.kind === 'block') {
      const b: Block = n;
      if (b.rescue.length > 0 || b.always.length > 0)
        ctx.add({
          pos: n.pos,
          message: "a handler block's rescue/always tasks never run (Ansible 2.14 runs only the block: tasks of a handler block)",
          severity: 'warning',
        });
      out.push(...handlerTasks(ctx, b.block).map((t) => withKeywords(b, t)));
    } else if (n.kind === 'include') {
      out.push({
        ...n,
        kind: 'task',
        module: 'include_tasks',
        args: { file: n.file },
        notify: [],
        listen: n.listen ?? [],
        file: n.pos.file,
        include: n,
      } as unknown as Task);
    } else {
      ctx.add({ pos: n.pos, message: `a handler must be a task or an import_tasks, not ${n.kind}`, severity: 'error' });
    }
  }
  return out;
}
