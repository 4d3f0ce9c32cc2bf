// ansible.builtin.apt (the common subset): the named Debian packages are installed, at their
// candidate version (latest), or not installed; the package lists are refreshed first when
// update_cache/cache_valid_time ask for it. See support/apt-ops.ts for check and apply.
import { failed } from '../../core/result.js';
import type { Module, Prediction } from '../types.js';
import type { AptArgs } from '../generated/args.js';
import { aptSettings, applyApt, checkApt, type AptPlan } from '../support/apt-ops.js';

const apt: Module<AptArgs, AptPlan> = {
  name: 'apt',
  async check(ctx, args): Promise<Prediction<AptPlan>> {
    const s = aptSettings(args);
    if ('error' in s) return { kind: 'failed', result: failed(s.error) };
    return checkApt(ctx, s);
  },
  apply(ctx, _args, prediction) {
    return applyApt(ctx, prediction.plan);
  },
};

export default apt;
