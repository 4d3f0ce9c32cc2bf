// The contract every module follows (pyinfra's facts vs operations):
// check() only reads and predicts; apply() changes only what check() predicted;
// a second apply() on a converged host reports ok.
// check() reports what it read and does not decide by check mode: when what it needs is not
// there yet because an earlier task makes it (a member that task starts, a snapshot it saves),
// it returns `pending` with both outcomes, and the executor (executor/invoke.ts), which knows
// whether the earlier tasks ran or were only predicted, picks one. The few remaining reads of
// `ctx.checkMode` in modules are part of a module's contract and say why beside them (Ansible's
// check-mode behaviour of a module, a write that only an apply may make, a plan-time probe that
// does not wait out a timeout).
import type { Connection, Become } from '../connection/types.js';
import type { FileDiff, ModuleResult, ResultFields } from '../core/result.js';
import type { Progress } from '../core/progress.js';
import type { TemplateLoader } from '../template/index.js';
import type { BackgroundJob } from './support/async-job.js';

/**
 * What a task runs with on one host, declared once: the executor renders it from the task's
 * keywords and the host's variables (executor/task-hosts.ts), runs the task with it
 * (executor/task.ts) and hands it, as it is, to the module inside its ModuleContext.
 */
export interface TaskSettings {
  /** the inventory host the task is for (delegate_to changes the connection, not this) */
  readonly host: string;
  /** the task's delegate_to, rendered, when it has one (synchronize runs rsync there) */
  readonly delegateTo?: string;
  readonly checkMode: boolean;
  readonly diffMode: boolean;
  readonly become?: Become;
  /** environment for commands (play/task `environment:`) */
  readonly env: Readonly<Record<string, string>>;
  /** the playbook's directory; relative `src:` paths resolve from here */
  readonly playbookDir: string;
  /** inside a role: the role's directory, searched first (files/, templates/, vars/) */
  readonly roleDir?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** a module that waits says what for and how long (the UI shows it; modules never know how) */
  readonly progress?: (p: Progress) => void;
  /**
   * applying a plan: the values this step decided when the plan was made (its result's
   * `decision`). A deciding module uses them instead of deciding again, and fails naming what
   * changed when the hosts no longer lead to the same decision (a stale plan).
   */
  readonly pinned?: Readonly<Record<string, unknown>>;
}

/** A module's view of one task on one host: the task's settings, a connection, its variables. */
export interface ModuleContext extends TaskSettings {
  /** the connection of the host the task runs on (after delegate_to) */
  readonly conn: Connection;
  /**
   * the inventory host's own connection, whatever delegate_to says: for a module whose work
   * crosses from where it runs to the host (synchronize's rsync from the controller)
   */
  readonly hostConn?: () => Promise<Connection>;
  /** every variable visible to the task (already templated lazily by the executor) */
  readonly vars: Readonly<Record<string, unknown>>;
  /** render a template file's text with the task's variables (template module); `loader` reads what it includes */
  readonly renderFile: (text: string, loader: TemplateLoader) => string;
  /** evaluate a bare Jinja expression as `{{ expr }}` in a playbook value (debug's `var`) to its native value */
  readonly evaluate: (expr: string) => unknown;
  /** evaluate a condition as Ansible does (`when:` semantics) */
  readonly evaluateBool: (expr: string | boolean) => boolean;
}

/** What check() found: nothing to do, or what apply() would change. */
export type Prediction<P = unknown> =
  | { readonly kind: 'unchanged'; readonly result: ModuleResult }
  /** `checkFields`: what the result holds in check mode (command's rc 0, empty stdout...) */
  | {
      readonly kind: 'change';
      readonly summary: string;
      readonly diff?: readonly FileDiff[];
      readonly plan: P;
      readonly decision?: Record<string, unknown>;
      readonly checkFields?: ResultFields;
    }
  /** a module that cannot know without running (command/shell); skipped in check mode */
  | {
      readonly kind: 'unknown';
      readonly summary: string;
      readonly plan: P;
      readonly decision?: Record<string, unknown>;
      readonly checkFields?: ResultFields;
    }
  /**
   * check() already ran the whole check itself and this is the task's result in check mode
   * (Ansible's module code, told _ansible_check_mode, reports changed/ok on its own)
   */
  | { readonly kind: 'decided'; readonly result: ModuleResult }
  /** check() could not even read (bad args discovered late, missing file...) */
  | { readonly kind: 'failed'; readonly result: ModuleResult }
  /**
   * what check() reads is not there yet and an earlier task makes it: `inPlan` is the prediction
   * while the earlier tasks were only predicted (check mode, a plan), `failure` the result once
   * they did run (apply: it is still missing, so the task fails). The executor chooses.
   */
  | { readonly kind: 'pending'; readonly inPlan: Exclude<Prediction<P>, { kind: 'pending' }>; readonly failure: ModuleResult };

export interface Module<A = Record<string, unknown>, P = unknown> {
  readonly name: string;
  /** Ansible's free-form argument: `command: ls -l` → args[freeForm] = 'ls -l' */
  readonly freeForm?: string;
  /** controller-only modules (debug, assert, set_fact...) open no connection */
  readonly controllerOnly?: boolean;
  /** true when check() has no side effects and apply() never changes anything (stat, wait_for...) */
  readonly readOnly?: boolean;
  /**
   * the precedence level of the variables its result's `ansible_facts` sets: gathered host facts
   * (below play vars), include_vars (below set_fact); default: set_fact's level
   */
  readonly factsLevel?: 'host-facts' | 'include-vars';
  /**
   * `'none'`: Ansible's module does not support check mode (no supports_check_mode): in check mode
   * the task is skipped with Ansible's message; the plan still shows the change check() predicted
   */
  /**
   * `'task'`: Ansible's action plugin refuses check mode for the whole task (assemble): skipped
   * with "check mode is not supported for this task." whatever check() found (a failure too,
   * as Ansible refuses before running anything); the plan still shows a predicted change
   */
  readonly checkMode?: 'none' | 'task';
  check(ctx: ModuleContext, args: A): Promise<Prediction<P>>;
  apply(ctx: ModuleContext, args: A, prediction: Prediction<P> & { kind: 'change' | 'unknown' }): Promise<ModuleResult>;
  /**
   * what apply() runs, as a program the host runs detached (`async:` with a time limit,
   * support/async-job.ts); a module without it (or answering undefined) runs to its end and its result is stored as the job's
   */
  background?(ctx: ModuleContext, args: A, prediction: Prediction<P> & { kind: 'change' | 'unknown' }): Promise<BackgroundJob | undefined>;
}
