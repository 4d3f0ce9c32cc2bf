// The plan value (plan/step.ts) from a check-mode run's events: one step per host-result (per
// loop item for a loop), and the decisions its steps made. What the saved plan, the
// confirmation before an apply, and drift detection read.
import type { PinnedDecision } from '../plan/decisions.js';
import { predictionOf, stepKey, type PlanStep, type StepId } from '../plan/step.js';
import type { RunEvent } from './events.js';

export interface CollectedPlan {
  readonly steps: PlanStep[];
  readonly decisions: PinnedDecision[];
  /** plays and the hosts they matched, in order */
  readonly plays: { play: string; hosts: readonly string[] }[];
  onEvent(e: RunEvent): void;
}

export function planCollector(): CollectedPlan {
  const steps: PlanStep[] = [];
  const decisions: PinnedDecision[] = [];
  const plays: { play: string; hosts: readonly string[] }[] = [];
  return {
    steps,
    decisions,
    plays,
    onEvent(e) {
      if (e.type === 'play-start') plays.push({ play: e.play, hosts: e.hosts });
      if (e.type !== 'host-result' || !e.step) return;
      const base: StepId = e.step;
      if (e.decision) decisions.push({ step: base, task: e.task, values: e.decision });
      if (e.items && e.items.length > 0 && e.result.status !== 'unreachable') {
        for (const it of e.items) {
          const id: StepId = { ...base, item: it.item ?? '?' };
          steps.push({ id, key: stepKey(id), task: e.task, prediction: predictionOf(it) });
        }
        return;
      }
      steps.push({ id: base, key: stepKey(base), task: e.task, prediction: predictionOf(e.result) });
    },
  };
}
