// Everything a play run needs from the run: inventory, options, events, connections, state.
import type { Connection } from '../connection/types.js';
import type { Reach } from './reach.js';
import type { Inventory } from '../inventory/model.js';
import type { Module } from '../modules/types.js';
import type { Playbook } from '../playbook/model.js';
import type { ModuleCatalog } from '../playbook/catalog.js';
import type { SchemaProblem } from '../schema/registry.js';
import type { EventBus } from './events.js';
import type { RunOptions } from './options.js';
import type { HostState } from './state.js';
import type { StepCounter } from '../plan/step.js';

export interface RunControl {
  /** first Ctrl-C: start no new task */
  stopping: boolean;
  /** second Ctrl-C: abort what runs */
  readonly signal: AbortSignal;
}

export interface RunContext {
  readonly playbook: Playbook;
  readonly inventory: Inventory;
  readonly options: RunOptions;
  readonly bus: EventBus;
  readonly catalog: ModuleCatalog;
  readonly control: RunControl;
  readonly states: Map<string, HostState>;
  /** connection for a host, opened once per run; vars are the host's scope for templated settings */
  connect(host: string, vars: Readonly<Record<string, unknown>>, reach?: Reach): Promise<Connection>;
  loadModule(name: string): Promise<Module>;
  validateArgs(module: string, args: Record<string, unknown>): SchemaProblem[];
  /** a random placeholder for Ansible's `omit` */
  readonly omit: string;
  /** occurrences of each task on each host: the `n` of a step id */
  readonly steps: StepCounter;
  /** --start-at-task's pattern until a play holds the task it names (plan/start-at.ts) */
  readonly startAt: { pattern?: string | undefined };
}

export function stateOf(ctx: RunContext, host: string): HostState {
  const s = ctx.states.get(host);
  if (!s) throw new Error(`internal: no state for host ${host}`);
  return s;
}
