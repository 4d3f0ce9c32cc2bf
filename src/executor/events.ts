// What the executor publishes while it runs. Reporters (ui/), the journal and tests subscribe;
// the executor itself never prints.
import type { Deprecation, FileDiff, Status } from '../core/result.js';
import type { SourcePos } from '../core/source.js';
import type { Progress } from '../core/progress.js';
import type { RunVerdict } from '../core/verdict.js';
import type { Failure } from '../core/failure.js';
import type { StepId } from '../plan/step.js';
import type { TaskOutcome } from './task.js';

export interface Counters {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
  /** results replayed from the run being resumed (--resume): done by that run, not counted as ok/changed again */
  replayed: number;
}

export function emptyCounters(): Counters {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, replayed: 0 };
}

/** The part of a result a reporter may show (already censored when no_log). */
export interface ResultView {
  readonly status: Status;
  readonly msg?: string;
  readonly rc?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly diff?: readonly FileDiff[];
  /** loop item label, when the task loops */
  readonly item?: string;
  /** check mode: what would change (the module's words) */
  readonly predicted?: string;
  /** check mode: the module predicted a change, or could not tell (status skipped); see plan/step.ts */
  readonly prediction?: 'change' | 'unknown';
  readonly ignored?: boolean;
  readonly attempts?: number;
  /** shown without -v, as Ansible's _ansible_verbose_always (assert without quiet) */
  readonly verboseAlways?: boolean;
  /** debug's message, set_fact's facts... small values worth showing */
  readonly data?: Readonly<Record<string, unknown>>;
  /** why it failed or was unreachable, typed (core/failure.ts); left out under no_log */
  readonly failure?: Failure;
  /** the module's warnings and deprecations (a loop's: every item's), left out under no_log */
  readonly warnings?: readonly string[];
  readonly deprecations?: readonly Deprecation[];
  /**
   * with -v: the result as Ansible's default callback dumps it after `=>` (the registered value
   * without `failed`, `skipped`, `exception`, and below -vvv `invocation` and `diff`); left out under no_log
   */
  readonly shown?: Readonly<Record<string, unknown>>;
}

export type RunEvent =
  | { readonly type: 'run-start'; readonly playbook: string; readonly check: boolean; readonly diff: boolean; readonly time: number }
  | {
      readonly type: 'play-start';
      readonly play: string;
      readonly hosts: readonly string[];
      readonly pos: SourcePos;
      readonly time: number;
    }
  | {
      readonly type: 'batch-start';
      readonly play: string;
      readonly hosts: readonly string[];
      readonly index: number;
      readonly count: number;
    }
  | {
      readonly type: 'task-start';
      readonly id: string;
      readonly task: string;
      readonly module: string;
      readonly hosts: readonly string[];
      readonly handler: boolean;
      readonly pos: SourcePos;
      readonly time: number;
    }
  | {
      readonly type: 'host-result';
      readonly id: string;
      readonly task: string;
      readonly host: string;
      /** the task's place in the playbook (file:line:col, `h:` for handlers): stable across runs */
      readonly key?: string;
      /** where this step is (plan/step.ts): the same for the same playbook and inventory */
      readonly step?: StepId;
      /** values the step decided (not read from the hosts): pinned by a plan, see plan/decisions.ts */
      readonly decision?: Readonly<Record<string, unknown>>;
      /** the decision came from the plan being applied, not decided again */
      readonly pinned?: boolean;
      /** replayed from the run being resumed, not run again */
      readonly resumed?: boolean;
      /** the full outcome (with options.recordOutcomes): what --resume restores */
      readonly outcome?: TaskOutcome;
      readonly delegatedTo?: string;
      readonly result: ResultView;
      /** per-item results of a loop, in order */
      readonly items?: readonly ResultView[];
      readonly durationMs: number;
      readonly time: number;
    }
  /** a step that waits (a wait module, retries/until) says what for, elapsed and deadline */
  | { readonly type: 'progress'; readonly id: string; readonly host: string; readonly progress: Progress; readonly time: number }
  | { readonly type: 'task-end'; readonly id: string; readonly task: string; readonly time: number }
  | { readonly type: 'play-end'; readonly play: string; readonly time: number }
  /**
   * a file an include_tasks brought in, for these hosts (one per file and loop item, under the
   * include's banner); without `file`, an include_role reached (its banner only, as Ansible's)
   */
  | {
      readonly type: 'included';
      readonly id: string;
      readonly task: string;
      readonly file?: string;
      readonly hosts: readonly string[];
      /** the loop item's label (loop_control.label, else the item) */
      readonly label?: string;
      readonly pos: SourcePos;
      readonly time: number;
    }
  | { readonly type: 'warning'; readonly message: string; readonly host?: string }
  | {
      readonly type: 'run-end';
      readonly recap: Readonly<Record<string, Counters>>;
      readonly durationMs: number;
      readonly verdict: RunVerdict;
      readonly interrupted: boolean;
      readonly time: number;
    };

export type Listener = (e: RunEvent) => void;

export class EventBus {
  private readonly listeners: Listener[] = [];
  on(l: Listener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }
  emit(e: RunEvent): void {
    for (const l of this.listeners) l(e);
  }
}
