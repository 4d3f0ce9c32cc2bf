// Decisions: what a run decides that is not read from the hosts (a recovery id, the survivor,
// a snapshot path, a cluster token...). Made once, in the plan the operator reads, and carried
// into the apply they confirm, so what runs is what they read. Pure.
//
// Two ways for a step to decide (docs/plans.md, "Decisions"):
//   - a module puts the values in its result's `decision` (etcd_recovery_plan does); on apply
//     it gets them back as ModuleContext.pinned, uses them, and fails naming what changed
//     when the hosts no longer lead to the same decision;
//   - any task tagged `decision` (a set_fact of a generated name, say): its facts at plan time
//     are the facts on apply; the task is not run again.
// A decision is keyed by its step (task position, host, occurrence), so it is found again only
// by the same playbook on the same inventory.
import type { StepId } from './step.js';

/** The tag that marks a task whose result is decided at plan time. */
export const DECISION_TAG = 'decision';

export interface PinnedDecision {
  readonly step: StepId;
  /** the task's name, for messages */
  readonly task: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export function decisionKey(id: Pick<StepId, 'task' | 'host' | 'n'>): string {
  return `${id.task}\u0000${id.host}\u0000${id.n}`;
}

export type DecisionBook = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

export function decisionBook(decisions: readonly PinnedDecision[]): DecisionBook {
  const book = new Map<string, Readonly<Record<string, unknown>>>();
  for (const d of decisions) {
    book.set(decisionKey(d.step), d.values);
    // a run_once decision is found again on whichever host runs it on apply (the first one may
    // be unreachable now): the deciding module then sees the difference and refuses
    const any = decisionKey({ ...d.step, host: ANY_HOST });
    if (!book.has(any)) book.set(any, d.values);
  }
  return book;
}

/** The host part of a run_once decision's key in a DecisionBook. */
export const ANY_HOST = '\u0001any';

/** A tagged task's pinned values: the facts it set. */
export function taggedDecision(facts: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  return { ansible_facts: { ...(facts ?? {}) } };
}

export function isTaggedDecision(tags: readonly string[]): boolean {
  return tags.includes(DECISION_TAG);
}

/**
 * A task tagged `unknown_in_plan` is shown as unknown in plans and check mode, not run: its
 * input is read from a state that only the steps before it create on apply (the key count of a
 * member restored by an earlier step). Ansible ignores the tag, as any tag.
 */
export const UNKNOWN_IN_PLAN_TAG = 'unknown_in_plan';

export function isUnknownInPlan(tags: readonly string[]): boolean {
  return tags.includes(UNKNOWN_IN_PLAN_TAG);
}
