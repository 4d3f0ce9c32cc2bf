// The conditions of a task: `when`, `until`, `changed_when`, `failed_when`, each a list of
// expressions evaluated against the host's scope. Apart from the task's run (task.ts) because
// an include's `when` (include-groups.ts) is evaluated the same way, and a condition that cannot
// be evaluated is a failed result, never an exception.
import { toRegistered, type ModuleResult, type Status } from '../core/result.js';
import { evaluateBool, type Scope } from '../template/index.js';
import type { ItemOutcome, TaskEnv } from './task.js';
import { templateFailure } from './template-failure.js';

/** Whether every condition holds (in order, stopping at the first false), or a failed result when one cannot be evaluated. */
export function conditionsHold(conds: readonly (string | boolean)[], scope: Scope, what: string): boolean | ModuleResult {
  if (conds.length === 0) return true;
  for (const c of conds) {
    let v: boolean;
    try {
      v = evaluateBool(c, scope);
    } catch (e) {
      return templateFailure(e, `'${what}' condition '${String(c)}'`);
    }
    if (!v) return false;
  }
  return true;
}

/** A false `when`: Ansible 2.14 registers exactly {changed: false, skip_reason, skipped: true} (2.15's false_condition is not in 2.14). */
export function skippedByWhen(): ModuleResult {
  return { status: 'skipped', skip_reason: 'Conditional result was False', beforeModule: true };
}

/** changed_when / failed_when, evaluated with the result visible under its register name. */
export function applyOverrides(
  env: TaskEnv,
  scope: Record<string, unknown>,
  result: ItemOutcome['result'],
  registered: Record<string, unknown>,
): { result: ItemOutcome['result']; registered: Record<string, unknown> } {
  const t = env.task;
  if (!t.changedWhen && !t.failedWhen) return { result, registered };
  if (result.status === 'skipped' || result.status === 'unreachable') return { result, registered };
  const regScope = { ...scope, ...(t.register ? { [t.register]: registered } : {}), ...registered };
  // Ansible's command/shell report changed whenever they ran
  let isChanged = result.status === 'changed' || (result.status === 'failed' && (t.module === 'command' || t.module === 'shell'));
  if (t.changedWhen) {
    const c = conditionsHold(t.changedWhen, regScope, 'changed_when');
    if (typeof c === 'object') return { result: c, registered: toRegistered(c) };
    isChanged = c;
  }
  let isFailed = result.status === 'failed';
  if (t.failedWhen) {
    // a list is every condition at once, evaluated in order until one is false, as `when` (2.14's
    // TaskExecutor evaluates failed_when with Conditional.evaluate_conditional): `[r.rc is defined, r.rc != 0]`
    const f = conditionsHold(t.failedWhen, regScope, 'failed_when');
    if (typeof f === 'object') return { result: f, registered: toRegistered(f) };
    isFailed = f;
  }
  const status: Status = isFailed ? 'failed' : isChanged ? 'changed' : 'ok';
  const next = { ...result, status } as ItemOutcome['result'];
  if (status === 'failed' && !next.msg) (next as { msg: string }).msg = 'failed_when condition was true';
  return {
    result: next,
    registered: { ...registered, changed: status === 'changed' || (status === 'failed' && isChanged), failed: status === 'failed' },
  };
}
