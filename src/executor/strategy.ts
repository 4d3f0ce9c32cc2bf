// How a play's tasks meet its hosts, as Ansible's strategy plugins: `linear` runs each task on
// every active host of the batch before the next task; `free` lets each host go through the play
// at its own pace. A strategy also carries the play's two recursive steps, walking a task list
// and flushing handlers, so that what recurses gets them passed in (through PlayState) instead of
// importing them: include_role walks task lists that include roles, and handlers run tasks whose
// `meta: flush_handlers` runs handlers. This file is where those loops close.
import type { Play, TaskNode } from '../playbook/model.js';
import { runHandlers } from './handlers.js';
import type { Inherited } from './keywords.js';
import { runNodes } from './nodes.js';
import type { PlayState } from './play-state.js';
import type { RunContext } from './run-context.js';

export interface Strategy {
  readonly name: Play['strategy'];
  /** one batch through the play's sections (pre_tasks, roles and tasks, post_tasks), each followed by a handler flush */
  runSections(
    ctx: RunContext,
    ps: PlayState,
    sections: readonly (readonly TaskNode[])[],
    batch: readonly string[],
    base: Inherited,
  ): Promise<void>;
  /** a task list over hosts: tasks, blocks, includes (nodes.ts) */
  runNodes(ctx: RunContext, ps: PlayState, nodes: readonly TaskNode[], hosts: readonly string[], inh: Inherited): Promise<void>;
  /** the handlers notified on hosts, run now (handlers.ts): a section's end, meta: flush_handlers */
  flushHandlers(ctx: RunContext, ps: PlayState, hosts: readonly string[], base: Inherited): Promise<void>;
}

const linear: Strategy = {
  name: 'linear',
  async runSections(ctx, ps, sections, batch, base) {
    for (const nodes of sections) {
      if (ctx.control.stopping || ps.aborted) break;
      await runNodes(ctx, ps, nodes, batch, base);
      await runHandlers(ctx, ps, batch, base);
    }
  },
  runNodes,
  flushHandlers: runHandlers,
};

const free: Strategy = {
  name: 'free',
  async runSections(ctx, ps, sections, batch, base) {
    await Promise.all(
      batch.map(async (h) => {
        for (const nodes of sections) {
          await runNodes(ctx, ps, nodes, [h], base);
          await runHandlers(ctx, ps, [h], base);
        }
      }),
    );
  },
  runNodes,
  flushHandlers: runHandlers,
};

export const STRATEGIES: Readonly<Record<Play['strategy'], Strategy>> = { linear, free };
