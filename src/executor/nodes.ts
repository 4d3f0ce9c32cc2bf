// Walk a task list over hosts: tasks, blocks (rescue/always per host), include_tasks.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadIncludedTasks } from '../playbook/load-included.js';
import { resolveTaskFile } from '../playbook/tasks.js';
import type { Block, IncludeTasks, Task, TaskNode } from '../playbook/model.js';
import { selectedByTags } from '../plan/tags.js';
import { renderString } from '../template/index.js';
import { includeGroups, includeSite, showIncluded, withIncludeParams } from './include-groups.js';
import { alsoOnFailed, failHost, rescueHosts, tally } from './host-changes.js';
import { wrap } from '../playbook/roles.js';
import { inherit, type Inherited } from './keywords.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';
import { runTaskOnHosts } from './task-hosts.js';
import { runIncludeRole } from './include-role.js';

export async function runNodes(
  ctx: RunContext,
  ps: PlayState,
  nodes: readonly TaskNode[],
  hosts: readonly string[],
  inh: Inherited,
): Promise<void> {
  for (const node of nodes) {
    if (ctx.control.stopping || ps.aborted) return;
    if (ps.skips?.has(node)) continue; // --start-at-task: before the task it names
    const active = hosts.filter((h) => ctx.states.get(h)!.active);
    if (active.length === 0) return;
    switch (node.kind) {
      case 'task':
        await runTaskNode(ctx, ps, node, active, inh);
        break;
      case 'block':
        await runBlock(ctx, ps, node, active, inh);
        break;
      // an include is a task: --tags selects it by its own tags (Ansible: tag it, or `always`)
      case 'include':
        if (selectedByTags([...inh.tags, ...node.tags], ctx.options.tags)) await runInclude(ctx, ps, node, active, inh);
        break;
      case 'include_role':
        if (selectedByTags([...inh.tags, ...node.tags], ctx.options.tags)) await runIncludeRole(ctx, ps, node, active, inh);
        break;
    }
  }
}

async function runTaskNode(ctx: RunContext, ps: PlayState, task: Task, hosts: readonly string[], inh: Inherited): Promise<void> {
  const eff = inherit(inh, task, false);
  if (!selectedByTags(eff.tags, ctx.options.tags)) return;
  await runTaskOnHosts(ctx, ps, task, hosts, eff, inh.inHandler === true);
}

async function runBlock(ctx: RunContext, ps: PlayState, block: Block, hosts: readonly string[], inh: Inherited): Promise<void> {
  const eff = inherit(inh, block);
  if (block.role) for (const h of hosts) ps.rolesRun.set(h, (ps.rolesRun.get(h) ?? new Set()).add(block.role.path));
  await runNodes(ctx, ps, block.block, hosts, eff);
  const failed = hosts.filter((h) => ctx.states.get(h)!.status === 'failed');
  if (block.rescue.length > 0 && failed.length > 0) {
    rescueHosts(ctx, failed);
    await runNodes(ctx, ps, block.rescue, failed, { ...eff, inRescue: true });
  }
  if (block.always.length > 0) {
    await alsoOnFailed(ctx, hosts, () => runNodes(ctx, ps, block.always, hosts, eff));
  }
}

/**
 * include_tasks nested deeper than this fails the host: a task file that includes itself from
 * `rescue:` (a retry loop) is legal, as in Ansible, but must end.
 */
export const MAX_INCLUDE_DEPTH = 100;

/** with_first_found on include_tasks: relative names beside the including file, in its tasks/, then the play's directory. */
function taskFileFinder(inc: IncludeTasks, playDir: string) {
  return (names: readonly string[], paths: readonly string[]): string | undefined => {
    for (const name of names) {
      const bases = isAbsolute(name)
        ? ['']
        : paths.length > 0
          ? paths.map((p) => resolve(inc.baseDir, p))
          : [inc.baseDir, join(inc.baseDir, 'tasks'), playDir];
      const hit = bases.map((b) => resolve(b, name)).find((c) => existsSync(c));
      if (hit) return hit;
    }
    return undefined;
  };
}

async function runInclude(ctx: RunContext, ps: PlayState, inc: IncludeTasks, hosts: readonly string[], inh: Inherited): Promise<void> {
  const depth = (inh.includeDepth ?? 0) + 1;
  // the include's own keywords are not its tasks' (as Ansible's dynamic includes; include-role.ts)
  const eff = { ...withIncludeParams(inh, inc.vars), includeDepth: depth };
  const groups = includeGroups(
    ctx,
    ps,
    inc,
    hosts,
    eff,
    'include_tasks',
    (scope) => renderString(inc.file, scope),
    taskFileFinder(inc, ps.play.dir),
  );
  if (depth > MAX_INCLUDE_DEPTH) {
    for (const h of groups.flatMap((g) => g.hosts))
      failHost(
        ctx,
        h,
        `include_tasks '${inc.file}': nested more than ${MAX_INCLUDE_DEPTH} includes deep (a task file including itself without end?)`,
        { task: 'include_tasks', pos: inc.pos },
      );
    return;
  }
  // Ansible reads every file first: the include's banner, then an `included:` line for each
  for (const g of groups) showIncluded(ctx, inc, eff, 'include_tasks', g, resolveTaskFile(inc.baseDir, g.name));
  for (const { name: file, vars: itemVars, hosts: group } of groups) {
    const loaded = loadIncludedTasks(includeSite(ctx, ps, eff), inc.baseDir, file);
    if (!loaded.ok) {
      for (const h of group) failHost(ctx, h, `include_tasks '${file}': ${loaded.why}`, { task: 'include_tasks', pos: inc.pos });
      continue;
    }
    const tasks = loaded.value;
    // Ansible counts each file an include brings in as ok for the hosts it runs on (recap)
    tally(ctx, group, 'ok');
    const nodes = inc.apply ? [wrap(inc.apply, tasks)] : tasks;
    await runNodes(ctx, ps, nodes, group, itemVars ? withIncludeParams(eff, itemVars) : eff);
  }
}
