// The plan value: what `runbook plan` saw, one step per (play, task, host, loop item), each with
// a typed prediction. Reporters, the saved plan (plan.json), the confirmation before an apply,
// resume and drift detection all read these steps; nothing parses a message to learn what a
// step predicted. Pure.
//
// API (kept small; ui/ and cli/ build on it):
//   StepId, stepKey(id)         where a step is: stable across runs of the same playbook and
//                               inventory (task = the task's file:line:col, `h:` for handlers;
//                               n = its occurrence on that host, for tasks met more than once)
//   Prediction                  unchanged | change | unknown | failed, the reason as data
//   predictionOf(view)          the prediction of one check-mode result
//   PlanStep                    { id, key, task, prediction }
//   countPredictions(steps)     the numbers of the "Plan: N to change..." line
// Made from a check-mode run's events by executor/plan-steps.ts (planCollector(): steps,
// decisions, plays); decisions (PinnedDecision, decisionBook) are in plan/decisions.ts, the
// saved plan (plan.json) and drift() in plan/saved.ts. cli/run.ts collects the plan shown
// before "Apply these changes?" and applies with its decisions (RunOptions.decisions).

/** Where a step is. */
export interface StepId {
  /** the play's position in the playbook (file:line:col) */
  readonly play: string;
  /** the task's position (file:line:col; `h:` first for handlers) */
  readonly task: string;
  readonly host: string;
  /** the loop item's label, for a step of a loop */
  readonly item?: string;
  /** 1 for the first time this task meets this host in a run, 2 for the second... */
  readonly n: number;
}

export function stepKey(id: StepId): string {
  return [id.task, id.host, String(id.n), ...(id.item !== undefined ? [id.item] : [])].join('\u0000');
}

/** A readable form of a step id, for messages: `etcd1 pb.yml:12:7 (item=x)`. */
export function stepWhere(id: StepId): string {
  return `${id.host} ${id.task.replace(/^h:/, '')}${id.n > 1 ? ` #${id.n}` : ''}${id.item !== undefined ? ` (item=${id.item})` : ''}`;
}

export type Prediction =
  /** nothing to do: converged already, or skipped by its condition */
  | { readonly kind: 'unchanged'; readonly reason: 'converged' | 'skipped' }
  /** apply will change this; summary says what ("stop etcd.service") */
  | { readonly kind: 'change'; readonly summary: string }
  /** the module cannot tell without running (a command, or a wait on an earlier change) */
  | { readonly kind: 'unknown'; readonly summary: string }
  /** the check itself failed, or the host could not be reached */
  | { readonly kind: 'failed'; readonly reason: 'failed' | 'unreachable'; readonly message: string };

/** The part of a check-mode result a prediction is made from (executor's ResultView). */
export interface PredictedView {
  readonly status: 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';
  readonly msg?: string;
  /** set by the executor: the module's own prediction in check mode */
  readonly prediction?: 'change' | 'unknown';
  readonly predicted?: string;
}

export function predictionOf(r: PredictedView): Prediction {
  switch (r.status) {
    case 'ok':
      return { kind: 'unchanged', reason: 'converged' };
    case 'changed':
      return { kind: 'change', summary: r.predicted ?? 'change' };
    case 'skipped':
      // skipped in check mode only: a module that cannot tell (unknown), or one Ansible never runs in check mode (change)
      if (r.prediction === 'unknown') return { kind: 'unknown', summary: r.predicted ?? '' };
      if (r.prediction === 'change') return { kind: 'change', summary: r.predicted ?? 'change' };
      return { kind: 'unchanged', reason: 'skipped' };
    case 'failed':
      return { kind: 'failed', reason: 'failed', message: r.msg ?? 'failed' };
    case 'unreachable':
      return { kind: 'failed', reason: 'unreachable', message: r.msg ?? 'unreachable' };
  }
}

export interface PlanStep {
  readonly id: StepId;
  /** stepKey(id) */
  readonly key: string;
  /** the task's name as shown */
  readonly task: string;
  readonly prediction: Prediction;
}

export interface PredictionCounts {
  change: number;
  unchanged: number;
  unreachable: number;
  failed: number;
  unknown: number;
}

export function countPredictions(steps: readonly { readonly prediction: Prediction }[]): PredictionCounts {
  const c: PredictionCounts = { change: 0, unchanged: 0, unreachable: 0, failed: 0, unknown: 0 };
  for (const s of steps) {
    const p = s.prediction;
    if (p.kind === 'failed') c[p.reason === 'unreachable' ? 'unreachable' : 'failed']++;
    else if (p.kind === 'unknown') c.unknown++;
    else if (p.kind === 'change') c.change++;
    else if (p.reason === 'converged') c.unchanged++;
  }
  return c;
}

/** One prediction in words, for drift messages. */
export function describePrediction(p: Prediction | undefined): string {
  if (p === undefined) return 'nothing';
  switch (p.kind) {
    case 'unchanged':
      return p.reason === 'skipped' ? 'a skip' : 'no change';
    case 'change':
      return `a change (${p.summary})`;
    case 'unknown':
      return `a step it could not predict (${p.summary})`;
    case 'failed':
      return p.reason === 'unreachable' ? `the host unreachable (${p.message})` : `a failure (${p.message})`;
  }
}

/** Counts occurrences of (task, host) so a task met twice on a host gets n = 2. */
export class StepCounter {
  private readonly seen = new Map<string, number>();
  next(task: string, host: string): number {
    const k = `${task}\u0000${host}`;
    const n = (this.seen.get(k) ?? 0) + 1;
    this.seen.set(k, n);
    return n;
  }
}
