// Saved plans (`runbook plan ... --out plan.json`, then `runbook apply plan.json`): the typed steps
// the plan saw, the decisions it made (plan/decisions.ts), and the comparison with a fresh plan
// made just before applying it (Terraform's stale plan). Pure.
import type { PinnedDecision } from './decisions.js';
import { describePrediction, stepWhere, type PlanStep, type Prediction } from './step.js';

export const PLAN_FORMAT = 2;

export interface SavedPlan {
  readonly runbookPlan: typeof PLAN_FORMAT;
  readonly created: string;
  readonly playbook: string;
  readonly inventory: string;
  readonly inputs: readonly { readonly path: string; readonly sha256: string }[];
  /** the -e values apply needs to run the same playbook (the file is written 0600) */
  readonly extraVars: Readonly<Record<string, unknown>>;
  /** -e values whose names look secret: only their sha256 is kept; apply plan.json asks for them again with -e */
  readonly secretVars?: Readonly<Record<string, string>>;
  readonly limit?: string;
  readonly tags: { readonly only: readonly string[]; readonly skip: readonly string[] };
  /** --start-at-task */
  readonly startAtTask?: string;
  readonly steps: readonly PlanStep[];
  readonly decisions: readonly PinnedDecision[];
}

export function isSavedPlan(v: unknown): v is SavedPlan {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<SavedPlan>;
  return p.runbookPlan === PLAN_FORMAT && Array.isArray(p.steps) && Array.isArray(p.decisions);
}

/** The same outcome: the words of a prediction (paths with timestamps) do not count. */
function sameOutcome(a: Prediction | undefined, b: Prediction | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'failed' && b.kind === 'failed') return a.reason === b.reason;
  if (a.kind === 'unchanged' && b.kind === 'unchanged') return a.reason === b.reason;
  return true;
}

/**
 * The hosts drifted when a step's outcome differs: a change now unneeded, a new change, a
 * host now unreachable or failing (a deciding step that refuses the pinned decision fails,
 * and its message names what changed).
 */
export function drift(saved: readonly PlanStep[], now: readonly PlanStep[]): string[] {
  const a = new Map(saved.map((s) => [s.key, s]));
  const b = new Map(now.map((s) => [s.key, s]));
  const failing: string[] = [];
  const rest: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k);
    const y = b.get(k);
    if (sameOutcome(x?.prediction, y?.prediction)) continue;
    const s = (x ?? y)!;
    // a step failing now says why (a deciding module names what changed): first, before the
    // steps that merely no longer run after it
    (y?.prediction.kind === 'failed' ? failing : rest).push(
      `${stepWhere(s.id)} '${s.task}': the plan saw ${describePrediction(x?.prediction)}, now ${describePrediction(y?.prediction)}`,
    );
  }
  return [...failing, ...rest];
}

/** The drift for a one-line message: the first few differences (failures first), then how many more. */
export function summarizeDrift(d: readonly string[], max = 3): string {
  return (
    d.slice(0, max).join('; ') + (d.length > max ? `; and ${d.length - max} more step${d.length - max > 1 ? 's' : ''} that differ` : '')
  );
}
