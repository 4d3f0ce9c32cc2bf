// One module call: check() always; apply() only outside check mode and only when check()
// predicted a change. Exceptions from module code become failed/unreachable results here.
import { ConnectError } from '../connection/types.js';
import { changed, failed, skipped, unreachable, type ModuleResult } from '../core/result.js';
import type { Module, ModuleContext } from '../modules/types.js';

export async function invokeModule(module: Module, ctx: ModuleContext, args: Record<string, unknown>): Promise<ModuleResult & { predicted?: string }> {
  try {
    const prediction = await module.check(ctx, args);
    switch (prediction.kind) {
      case 'unchanged':
      case 'failed':
        return prediction.result;
      case 'change':
        if (ctx.checkMode) {
          return { ...changed({ ...prediction.checkFields, ...(prediction.diff ? { diff: prediction.diff } : {}) }), predicted: prediction.summary };
        }
        return await module.apply(ctx, args, prediction);
      case 'unknown':
        if (ctx.checkMode) return { ...skipped(`check mode: ${prediction.summary}`, prediction.checkFields), predicted: prediction.summary };
        return await module.apply(ctx, args, prediction);
    }
  } catch (e) {
    if (e instanceof ConnectError) return unreachable(e.message);
    const err = e as Error;
    return failed(`${module.name}: ${err.message.split('\n')[0]}`);
  }
}
