// One module call: check() always; apply() only outside check mode and only when check()
// predicted a change, with the arguments coerced once by the module's schema (modules/arguments.ts).
// Exceptions from module code become failed/unreachable results here.
// A `pending` prediction (what check() reads is made by an earlier task) is decided here, where
// check mode is known: its in-plan prediction in check mode, its failure otherwise.
import { ConnectError } from '../connection/types.js';
import { changed, failed, skipped, unreachable, type CheckPrediction, type ModuleResult } from '../core/result.js';
import type { Module, ModuleContext, Prediction } from '../modules/types.js';
import type { BackgroundJob } from '../modules/support/async-job.js';
import { coercedArgs } from '../modules/arguments.js';

export async function invokeModule(
  module: Module,
  ctx: ModuleContext,
  written: Record<string, unknown>,
  /** `async:`: starts what apply() would run as a job on the host, when the module can (executor/async-task.ts) */
  background?: (job: BackgroundJob) => Promise<ModuleResult>,
): Promise<ModuleResult & CheckPrediction> {
  const applied = async (prediction: Prediction & { kind: 'change' | 'unknown' }, args: Record<string, unknown>): Promise<ModuleResult> => {
    const job = background && module.background ? await module.background(ctx, args, prediction) : undefined;
    return job ? background!(job) : module.apply(ctx, args, prediction);
  };
  try {
    const args = coercedArgs(module.name, written); // after templating and validation: the one place arguments are coerced
    const prediction = settle(await module.check(ctx, args), ctx.checkMode);
    if (ctx.checkMode && module.checkMode === 'task') {
      const msg = 'check mode is not supported for this task.';
      const predicted =
        prediction.kind === 'change' || prediction.kind === 'unknown' ? { prediction: prediction.kind, predicted: prediction.summary } : {};
      // Ansible's TaskExecutor skips it before the module: only msg, no skip_reason, no failed key
      return { status: 'skipped', beforeModule: true, msg, ...predicted };
    }
    switch (prediction.kind) {
      case 'unchanged':
      case 'decided':
      case 'failed':
        return prediction.result;
      case 'change': {
        // what check() decided (a generated path...) is pinned by a plan, whatever apply reports
        const decision = prediction.decision ? { decision: prediction.decision } : {};
        if (ctx.checkMode && module.checkMode === 'none') {
          const msg = `remote module (${module.name}) does not support check mode`;
          return { ...skipped(msg, { msg, ...decision }), prediction: 'change', predicted: prediction.summary };
        }
        if (ctx.checkMode) {
          return {
            ...changed({ ...prediction.checkFields, ...(prediction.diff ? { diff: prediction.diff } : {}), ...decision }),
            prediction: 'change',
            predicted: prediction.summary,
          };
        }
        return { ...decision, ...(await applied(prediction, args)) };
      }
      case 'unknown': {
        const decision = prediction.decision ? { decision: prediction.decision } : {};
        // the skip reason is what `register` shows (Ansible: skipped in check mode); the plan reads `prediction`
        if (ctx.checkMode)
          return {
            ...skipped(`check mode: ${prediction.summary}`, { ...prediction.checkFields, ...decision }),
            prediction: 'unknown',
            predicted: prediction.summary,
          };
        return { ...decision, ...(await applied(prediction, args)) };
      }
    }
  } catch (e) {
    if (e instanceof ConnectError) return unreachable(e.message, { kind: 'connect', ...e.failure });
    const message = (e as Error).message.split('\n')[0]!;
    return failed(`${module.name}: ${message}`, { failure: { kind: 'module', module: module.name, message } });
  }
}

/** A pending prediction decided: the earlier tasks were only predicted (check mode), or they ran. */
function settle(p: Prediction, checkMode: boolean): Exclude<Prediction, { kind: 'pending' }> {
  if (p.kind !== 'pending') return p;
  return checkMode ? p.inPlan : { kind: 'failed', result: p.failure };
}
