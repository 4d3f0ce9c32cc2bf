// `runbook plan ... -o plan.json` writes what the plan saw; `runbook apply plan.json` re-plans
// (changing nothing), refuses when the inputs or the hosts drifted, then applies.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventBus, type RunEvent } from '../executor/events.js';
import { runPlaybook, type RunDeps } from '../executor/run.js';
import type { RunOptions } from '../executor/options.js';
import type { Inventory } from '../inventory/model.js';
import { hashFile } from '../journal/header.js';
import type { Playbook } from '../playbook/model.js';
import { drift, isSavedPlan, type PlannedStep, type SavedPlan } from '../plan/saved.js';
import { UsageError } from './args.js';

/** The plan file named by -o/--out, when it is not an output format. */
export function planOut(out: string | undefined, output: string | undefined): string | undefined {
  if (out) return out;
  return output !== undefined && !['tty', 'plain', 'json'].includes(output) ? output : undefined;
}

/** Collects the steps of a plan from its events. */
export function stepCollector(): { steps: PlannedStep[]; onEvent: (e: RunEvent) => void } {
  const steps: PlannedStep[] = [];
  return {
    steps,
    onEvent(e) {
      if (e.type !== 'host-result' || !e.key) return;
      const r = e.result;
      const unknown = r.status === 'skipped' && (r.predicted !== undefined || r.msg?.startsWith('check mode:'));
      steps.push({ key: e.key, task: e.task, host: e.host, status: unknown ? 'unknown' : r.status, ...(r.predicted !== undefined ? { predicted: r.predicted } : {}) });
    },
  };
}

export function writePlan(file: string, playbook: Playbook, inventory: Inventory, inventoryPath: string, o: RunOptions, steps: readonly PlannedStep[]): void {
  const plan: SavedPlan = {
    runbookPlan: 1,
    created: new Date().toISOString(),
    playbook: playbook.file,
    inventory: inventoryPath,
    inputs: [...new Set([playbook.file, ...playbook.files, ...inventory.sources])].map(hashFile),
    extraVars: o.extraVars,
    ...(o.limit ? { limit: o.limit } : {}),
    tags: o.tags,
    steps,
  };
  writeFileSync(file, JSON.stringify(plan, null, 2) + '\n', { mode: 0o600 });
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
  const c = stepCollector();
  bus.on(c.onEvent);
  await runPlaybook(playbook, inventory, { ...o, check: true }, bus, { stopping: false, signal: new AbortController().signal }, deps);
  const d = drift(plan.steps, c.steps);
  if (d.length) throw new UsageError(`the hosts drifted since the plan was made (${plan.created}), nothing applied: ${d.join('; ')}`);
}
