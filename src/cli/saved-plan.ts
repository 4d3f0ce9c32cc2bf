// `runbook plan ... --out plan.json` writes what the plan saw and decided; `runbook apply plan.json`
// re-plans with those decisions pinned (changing nothing), refuses when the inputs or the hosts
// drifted, then applies with exactly those decisions.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventBus } from '../executor/events.js';
import { planCollector, type CollectedPlan } from '../executor/plan-steps.js';
import { runPlaybook, type RunDeps } from '../executor/run.js';
import type { RunOptions } from '../executor/options.js';
import type { Inventory } from '../inventory/model.js';
import { hashFile, isSecretName } from '../journal/header.js';
import type { Playbook } from '../playbook/model.js';
import { decisionBook } from '../plan/decisions.js';
import { drift, isSavedPlan, PLAN_FORMAT, summarizeDrift, type SavedPlan } from '../plan/saved.js';
import { UsageError, type Options } from './args.js';

export function writePlan(
  file: string,
  playbook: Playbook,
  inventory: Inventory,
  inventoryPath: string,
  o: RunOptions,
  plan: CollectedPlan,
): void {
  const saved: SavedPlan = {
    runbookPlan: PLAN_FORMAT,
    created: new Date().toISOString(),
    playbook: playbook.file,
    inventory: inventoryPath,
    inputs: [...new Set([playbook.file, ...playbook.files, ...inventory.sources])].map(hashFile),
    ...splitSecrets(o.extraVars),
    ...(o.limit ? { limit: o.limit } : {}),
    tags: o.tags,
    ...(o.startAtTask !== undefined ? { startAtTask: o.startAtTask } : {}),
    steps: plan.steps,
    decisions: plan.decisions,
  };
  // 0600: the -e values (secret-looking ones only as a hash) and the decisions are in it
  writeFileSync(file, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
}

const digest = (v: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(v) ?? 'undefined')
    .digest('hex');

/** -e values in clear, but those whose names look secret (password, token, key...) only as a hash. */
function splitSecrets(vars: Readonly<Record<string, unknown>>): {
  extraVars: Record<string, unknown>;
  secretVars?: Record<string, string>;
} {
  const extraVars: Record<string, unknown> = {};
  const secretVars: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (isSecretName(k)) secretVars[k] = digest(v);
    else extraVars[k] = v;
  }
  return { extraVars, ...(Object.keys(secretVars).length ? { secretVars } : {}) };
}

/**
 * The extra vars of `apply plan.json`: the plan's, plus its secret ones given again with -e
 * (each checked against the hash the plan kept). Any other -e is refused: the plan is applied
 * as it was made.
 */
/** The options `apply plan.json` runs with: the plan's playbook, inventory, extra vars, limit, tags, start. */
export function savedOptions(saved: SavedPlan, opts: Options, given: Readonly<Record<string, unknown>>): Options {
  return {
    ...opts,
    inventory: saved.inventory ? [saved.inventory] : [],
    'extra-vars': [JSON.stringify(planExtraVars(saved, given))],
    tags: [...saved.tags.only],
    'skip-tags': [...saved.tags.skip],
    ...(saved.limit ? { limit: saved.limit } : {}),
    ...(saved.startAtTask !== undefined ? { 'start-at-task': saved.startAtTask } : {}),
    yes: true,
  };
}

export function planExtraVars(plan: SavedPlan, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const secrets = plan.secretVars ?? {};
  const extra = Object.keys(given).filter((k) => !(k in secrets));
  if (extra.length)
    throw new UsageError(
      `apply plan.json runs the plan as it was made: -e ${extra.join(', ')} ${extra.length > 1 ? 'are' : 'is'} not one of its secret variables (make a new plan with them)`,
    );
  const missing = Object.keys(secrets).filter((k) => !(k in given));
  if (missing.length)
    throw new UsageError(
      `the plan was made with secret extra vars that plan.json does not keep: give them again with -e (${missing.map((k) => `${k}=...`).join(' ')})`,
    );
  const wrong = Object.keys(secrets).filter((k) => digest(given[k]) !== secrets[k]);
  if (wrong.length) throw new UsageError(`-e ${wrong.join(', ')}: not the value the plan was made with (make a new plan)`);
  return { ...plan.extraVars, ...given };
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
export async function checkPlanStillHolds(
  plan: SavedPlan,
  playbook: Playbook,
  inventory: Inventory,
  o: RunOptions,
  deps: RunDeps,
): Promise<void> {
  const changed = plan.inputs.filter((f) => {
    try {
      return hashFile(f.path).sha256 !== f.sha256;
    } catch {
      return true;
    }
  });
  if (changed.length)
    throw new UsageError(
      `the saved plan no longer matches its inputs: ${changed.map((f) => f.path).join(', ')} changed since it was made (make a new plan)`,
    );
  const bus = new EventBus();
  const c = planCollector();
  bus.on(c.onEvent);
  await runPlaybook(
    playbook,
    inventory,
    { ...o, check: true, decisions: decisionBook(plan.decisions) },
    bus,
    { stopping: false, signal: new AbortController().signal },
    deps,
  );
  const d = drift(plan.steps, c.steps);
  if (d.length)
    throw new UsageError(
      `the hosts changed since the plan was made (${plan.created}), nothing applied: ${summarizeDrift(d)} (make a new plan)`,
    );
}
