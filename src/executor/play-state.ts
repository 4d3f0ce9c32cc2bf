// What the steps of one play share while it runs: its hosts and current batch, the handlers and
// roles it has gathered so far, and the strategy its tasks meet the hosts by (strategy.ts).
import type { Play, Task } from '../playbook/model.js';
import type { Strategy } from './strategy.js';
import type { StartAtSkips } from '../plan/start-at.js';

export interface PlayState {
  readonly play: Play;
  /** linear or free; includes and handlers reach the play's recursive steps through it */
  readonly strategy: Strategy;
  readonly playHosts: readonly string[];
  batch: readonly string[];
  /** vars_files, per host (their names may be templated with the host's variables) */
  readonly varsFiles: Map<string, Readonly<Record<string, unknown>>>;
  /** the play's handlers, then those of roles included at run time */
  readonly handlers: Task[];
  /** roles applied so far (dependencies run once per play) */
  readonly appliedRoles: Set<string>;
  /** per host, the roles (their paths) whose tasks it reached in this play: include_role's allow_duplicates: false */
  readonly rolesRun: Map<string, Set<string>>;
  /** defaults and vars of roles included with `public: true` */
  readonly exported: { defaults: Record<string, unknown>; vars: Record<string, unknown> };
  /** the play's max_fail_percentage, rendered when it started */
  readonly maxFailPercentage: number | undefined;
  /** any_errors_fatal / end_play: no further task in this play */
  aborted: boolean;
  /** --start-at-task: the tasks this batch passes over (plan/start-at.ts) */
  skips?: StartAtSkips | undefined;
}
