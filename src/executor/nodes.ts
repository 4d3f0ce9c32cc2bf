// Walk a task list over hosts: tasks, blocks (rescue/always per host), include_tasks.
import { loadTaskFile } from '../playbook/tasks.js';
import { LoadContext } from '../playbook/context.js';
import { renderDiagnostic } from '../core/diagnostic.js';
import type { Block, IncludeTasks, Play, Task, TaskNode } from '../playbook/model.js';
import { selectedByTags } from '../plan/tags.js';
import { renderDeep, renderString } from '../template/index.js';
import { loopItems } from './loops.js';
import { inherit, type Inherited } from './keywords.js';
import type { RunContext } from './run-context.js';
import { runTaskOnHosts } from './task-hosts.js';
import { conditionsHold } from './task.js';
import { hostScope } from './host-scope.js';
import { resolveTaskFile } from '../playbook/tasks.js';

export interface PlayState {
  readonly play: Play;
  readonly playHosts: readonly string[];
  batch: readonly string[];
  readonly varsFiles: Readonly<Record<string, unknown>>;
  /** any_errors_fatal / end_play: no further task in this play */
  aborted: boolean;
}

export async function runNodes(ctx: RunContext, ps: PlayState, nodes: readonly TaskNode[], hosts: readonly string[], inh: Inherited): Promise<void> {
  for (const node of nodes) {
    if (ctx.control.stopping || ps.aborted) return;
    const active = hosts.filter((h) => ctx.states.get(h)!.active);
    if (active.length === 0) return;
    switch (node.kind) {
      case 'task':
        await runTaskNode(ctx, ps, node, active, inh);
        break;
      case 'block':
        await runBlock(ctx, ps, node, active, inh);
        break;
      case 'include':
        await runInclude(ctx, ps, node, active, inh);
        break;
    }
  }
}

async function runTaskNode(ctx: RunContext, ps: PlayState, task: Task, hosts: readonly string[], inh: Inherited): Promise<void> {
  const eff = inherit(inh, task, false);
  if (!selectedByTags(eff.tags, ctx.options.tags)) return;
  await runTaskOnHosts(ctx, ps, task, hosts, eff, false);
}

async function runBlock(ctx: RunContext, ps: PlayState, block: Block, hosts: readonly string[], inh: Inherited): Promise<void> {
  const eff = inherit(inh, block);
  await runNodes(ctx, ps, block.block, hosts, eff);
  const failed = hosts.filter((h) => ctx.states.get(h)!.status === 'failed');
  if (block.rescue.length > 0 && failed.length > 0) {
    for (const h of failed) {
      const s = ctx.states.get(h)!;
      s.status = 'active';
      s.counters.failed = Math.max(0, s.counters.failed - 1);
      s.counters.rescued++;
    }
    await runNodes(ctx, ps, block.rescue, failed, { ...eff, inRescue: true });
  }
  if (block.always.length > 0) {
    // always runs for hosts that failed in the block too; they stay failed afterwards
    const stillFailed = hosts.filter((h) => ctx.states.get(h)!.status === 'failed');
    for (const h of stillFailed) ctx.states.get(h)!.status = 'active';
    await runNodes(ctx, ps, block.always, hosts, eff);
    for (const h of stillFailed) {
      const s = ctx.states.get(h)!;
      if (s.status === 'active') s.status = 'failed';
    }
  }
}

async function runInclude(ctx: RunContext, ps: PlayState, inc: IncludeTasks, hosts: readonly string[], inh: Inherited): Promise<void> {
  const eff = inherit(inh, inc, false);
  // Each host may include a different file (templated name), skip it (when) or loop over
  // different items: group hosts by (file, item) and run each group once, in order.
  const groups = new Map<string, { file: string; vars?: Record<string, unknown>; hosts: string[] }>();
  for (const h of hosts) {
    const scope = hostScope(ctx, ps, h, eff);
    const cond = conditionsHold([...eff.when, ...inc.when], scope, 'when');
    if (cond !== true) continue;
    const fail = (message: string): void => {
      ctx.bus.emit({ type: 'warning', host: h, message: `include_tasks: ${message}` });
      ctx.states.get(h)!.status = 'failed';
      ctx.states.get(h)!.counters.failed++;
    };
    let items: unknown[] | undefined;
    if (inc.loop) {
      let li;
      try {
        li = loopItems(inc.loop, renderDeep(inc.loop.items, scope));
      } catch (e) {
        fail((e as Error).message);
        continue;
      }
      if (!li.ok) {
        fail(li.message);
        continue;
      }
      items = li.items;
    }
    for (const [index, item] of (items ?? [undefined]).entries()) {
      const itemScope = items && inc.loop ? { ...scope, [inc.loop.loopVar]: item } : scope;
      let file: string;
      try {
        file = renderString(inc.file, itemScope);
      } catch (e) {
        fail((e as Error).message);
        break;
      }
      const vars = items && inc.loop ? { [inc.loop.loopVar]: item, ansible_loop_var: inc.loop.loopVar, ...(inc.loop.indexVar ? { [inc.loop.indexVar]: index } : {}) } : undefined;
      const key = items ? `${file}\0${index}\0${JSON.stringify(item)}` : file;
      const g = groups.get(key) ?? { file, ...(vars ? { vars } : {}), hosts: [] };
      g.hosts.push(h);
      groups.set(key, g);
    }
  }
  for (const { file, vars: itemVars, hosts: group } of groups.values()) {
    const abs = resolveTaskFile(inc.baseDir, file);
    const lc = new LoadContext(ctx.catalog, ctx.options.cwd);
    const src = lc.source(ctx.playbook.file);
    const tasks = src ? loadTaskFile(lc, src, undefined, abs, file) : undefined;
    if (!tasks || lc.diagnostics.some((d) => d.severity === 'error')) {
      const why = lc.diagnostics.map((d) => renderDiagnostic(d, false)).join('; ') || `cannot load '${file}'`;
      for (const h of group) {
        const s = ctx.states.get(h)!;
        s.status = 'failed';
        s.counters.failed++;
        ctx.bus.emit({ type: 'warning', host: h, message: `include_tasks '${file}': ${why}` });
      }
      continue;
    }
    const layers = [...eff.vars, ...(Object.keys(inc.vars).length ? [inc.vars] : []), ...(itemVars ? [itemVars] : [])];
    await runNodes(ctx, ps, tasks, group, { ...eff, when: eff.when, vars: layers });
  }
}
