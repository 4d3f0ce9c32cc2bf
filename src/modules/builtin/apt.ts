// ansible.builtin.apt (the common subset): the named Debian packages are installed, at their
// candidate version (latest), or not installed; the package lists are refreshed first when
// update_cache/cache_valid_time ask for it. See support/apt-ops.ts for check and apply.
import { failed } from '../../core/result.js';
import type { Module, Prediction } from '../types.js';
import type { AptArgs } from '../generated/args.js';
import { bool, num, str } from '../support/args.js';
import { packageNames, packageState } from '../support/packages.js';
import { applyApt, checkApt, type AptPlan, type AptSettings } from '../support/apt-ops.js';

function settings(args: AptArgs): AptSettings | { error: string } {
  const state = packageState(str(args.state));
  if (typeof state === 'object') return state;
  try {
    const validSeconds = num(args.cache_valid_time, 0);
    const lockTimeout = num(args.lock_timeout, 60);
    if (!Number.isInteger(validSeconds) || validSeconds < 0) return { error: `cache_valid_time must be a whole number of seconds (got '${String(args.cache_valid_time)}')` };
    if (!Number.isInteger(lockTimeout) || lockTimeout < 0) return { error: `lock_timeout must be a whole number of seconds (got '${String(args.lock_timeout)}')` };
    const recommends = args.install_recommends === undefined || args.install_recommends === null ? undefined : bool(args.install_recommends, true);
    return {
      names: packageNames(args.name ?? args.pkg ?? args.package),
      state,
      updateCache: bool(args.update_cache, false),
      validSeconds,
      opts: { lockTimeout, installRecommends: recommends, purge: bool(args.purge, false) },
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const apt: Module<AptArgs, AptPlan> = {
  name: 'apt',
  async check(ctx, args): Promise<Prediction<AptPlan>> {
    const s = settings(args);
    if ('error' in s) return { kind: 'failed', result: failed(s.error) };
    return checkApt(ctx, s);
  },
  apply(ctx, _args, prediction) {
    return applyApt(ctx, prediction.plan);
  },
};

export default apt;
