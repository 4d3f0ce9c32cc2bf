// Walk a task list over hosts: tasks, blocks (rescue/always per host), include_tasks.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadTaskFile } from '../playbook/tasks.js';
import { renderDiagnostic } from '../core/diagnostic.js';
import type { Block, IncludeTasks, Play, Task, TaskNode } from '../playbook/model.js';
import { selectedByTags } from '../plan/tags.js';
import { renderString } from '../template/index.js';
import { failHost, includeGroups, runtimeLoader, showIncluded, withIncludeParams } from './include-groups.js';
import { wrap } from '../playbook/roles.js';
import { inherit, type Inherited } from './keywords.js';
import type { RunContext } from './run-context.js';
import { runTaskOnHosts } from './task-hosts.js';
import { resolveTaskFile } from '../playbook/tasks.js';
import { runIncludeRole } from './include-role.js';

export interface PlayState {
  readonly play: Play;
  readonly playHosts: readonly string[];
  batch: readonly string[];
  /** vars_files, per host (their names may be templated with the host's variables) */
  readonly varsFiles: Map<string, Readonly<Record<string, unknown>>>;
  /** the play's handlers, then those of roles included at run time */
  readonly handlers: Task[];
  /** roles applied so far (dependencies run once per play) */
  readonly appliedRoles: Set<string>;
  /** defaults and vars of roles included with `public: true` */
  readonly exported: { defaults: Record<string, unknown>; vars: Record<string, unknown> };
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

/**
 * include_tasks nested deeper than this fails the host: a task file that includes itself from
 * `rescue:` (a retry loop) is legal, as in Ansible, but must end.
 */
export const MAX_INCLUDE_DEPTH = 100;

/** with_first_found on include_tasks: relative names beside the including file, in its tasks/, then the play's directory. */
function taskFileFinder(inc: IncludeTasks, playDir: string) {
  return (names: readonly string[], paths: readonly string[]): string | undefined => {
    for (const name of names) {
      const bases = isAbsolute(name) ? [''] : paths.length > 0 ? paths.map((p) => resolve(inc.baseDir, p)) : [inc.baseDir, join(inc.baseDir, 'tasks'), playDir];
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
  const groups = includeGroups(ctx, ps, inc, hosts, eff, 'include_tasks', (scope) => renderString(inc.file, scope), taskFileFinder(inc, ps.play.dir));
  if (depth > MAX_INCLUDE_DEPTH) {
    for (const h of groups.flatMap((g) => g.hosts)) failHost(ctx, h, `include_tasks '${inc.file}': nested more than ${MAX_INCLUDE_DEPTH} includes deep (a task file including itself without end?)`, { task: 'include_tasks', pos: inc.pos });
    return;
  }
  // Ansible reads every file first: the include's banner, then an `included:` line for each
  for (const g of groups) showIncluded(ctx, inc, eff, 'include_tasks', g, resolveTaskFile(inc.baseDir, g.name));
  for (const { name: file, vars: itemVars, hosts: group } of groups) {
    const abs = resolveTaskFile(inc.baseDir, file);
    const { lc, src } = runtimeLoader(ctx, ps, eff);
    const tasks = loadTaskFile(lc, src, undefined, abs, file);
    lc.confirmAnsibleModules();
    if (!tasks || lc.diagnostics.some((d) => d.severity === 'error')) {
      const why = lc.diagnostics.map((d) => renderDiagnostic(d, false)).join('; ') || `cannot load '${file}'`;
      for (const h of group) failHost(ctx, h, `include_tasks '${file}': ${why}`, { task: 'include_tasks', pos: inc.pos });
      continue;
    }
    // Ansible counts each file an include brings in as ok for the hosts it runs on (recap)
    for (const h of group) ctx.states.get(h)!.counters.ok++;
    const nodes = inc.apply ? [wrap(inc.apply, tasks)] : tasks;
    await runNodes(ctx, ps, nodes, group, itemVars ? withIncludeParams(eff, itemVars) : eff);
  }
}
