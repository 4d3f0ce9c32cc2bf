// `runbook plan ... -o plan.json` writes what the plan saw and decided; `runbook apply plan.json`
// re-plans with those decisions pinned (changing nothing), refuses when the inputs or the hosts
// drifted, then applies with exactly those decisions.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventBus } from '../executor/events.js';
import { planCollector, type CollectedPlan } from '../executor/plan-steps.js';
import { runPlaybook, type RunDeps } from '../executor/run.js';
import type { RunOptions } from '../executor/options.js';
import type { Inventory } from '../inventory/model.js';
import { hashFile } from '../journal/header.js';
import type { Playbook } from '../playbook/model.js';
import { decisionBook } from '../plan/decisions.js';
import { drift, isSavedPlan, PLAN_FORMAT, type SavedPlan } from '../plan/saved.js';
import { UsageError } from './args.js';

/** The plan file named by -o/--out, when it is not an output format. */
export function planOut(out: string | undefined, output: string | undefined): string | undefined {
  if (out) return out;
  return output !== undefined && !['tty', 'plain', 'json'].includes(output) ? output : undefined;
}

export function writePlan(file: string, playbook: Playbook, inventory: Inventory, inventoryPath: string, o: RunOptions, plan: CollectedPlan): void {
  const saved: SavedPlan = {
    runbookPlan: PLAN_FORMAT,
    created: new Date().toISOString(),
    playbook: playbook.file,
    inventory: inventoryPath,
    inputs: [...new Set([playbook.file, ...playbook.files, ...inventory.sources])].map(hashFile),
    extraVars: o.extraVars,
    ...(o.limit ? { limit: o.limit } : {}),
    tags: o.tags,
    steps: plan.steps,
    decisions: plan.decisions,
  };
  // 0600: the -e values and the decisions are in it
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
}

export function readPlan(file: string, cwd: string): SavedPlan | undefined {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch {
    return undefined;
  }
  return isSavedPlan(v) ? v : undefined;
}

/** Refuses (UsageError) when an input file changed or the hosts drifted since the plan. */
export async function checkPlanStillHolds(plan: SavedPlan, playbook: Playbook, inventory: Inventory, o: RunOptions, deps: RunDeps): Promise<void> {
  const changed = plan.inputs.filter((f) => {
    try {
      return hashFile(f.path).sha256 !== f.sha256;
    } catch {
      return true;
    }
  });
  if (changed.length) throw new UsageError(`the saved plan no longer matches its inputs: ${changed.map((f) => f.path).join(', ')} changed since it was made (make a new plan)`);
  const bus = new EventBus();
  const c = planCollector();
  bus.on(c.onEvent);
  await runPlaybook(playbook, inventory, { ...o, check: true, decisions: decisionBook(plan.decisions) }, bus, { stopping: false, signal: new AbortController().signal }, deps);
  const d = drift(plan.steps, c.steps);
  if (d.length) throw new UsageError(`the hosts changed since the plan was made (${plan.created}), nothing applied: ${d.join('; ')} (make a new plan)`);
}
