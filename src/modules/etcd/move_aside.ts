// etcd_move_aside: a data dir that must be replaced is moved to `<path>.<suffix>` (never
// deleted). Converged when the path does not exist.
import type { EtcdMoveAsideArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import { str } from '../support/args.js';
import { exists, moveAside } from './aside.js';


const moveAsideModule: Module<EtcdMoveAsideArgs, { path: string; suffix: string }> = {
  name: 'etcd_move_aside',
  async check(ctx, args) {
    const path = str(args.path)?.replace(/\/+$/, '');
    const suffix = str(args.suffix);
    if (!path || path === '/' || !suffix) return { kind: 'failed', result: failed('path and suffix are required (and path may not be /)') };
    if (!(await exists(ctx, path))) return { kind: 'unchanged', result: ok({ msg: `${path} does not exist` }) };
    return { kind: 'change', summary: `move ${path} aside to ${path}.${suffix}`, plan: { path, suffix } };
  },
  async apply(ctx, _args, p) {
    const to = await moveAside(ctx, p.plan.path, p.plan.suffix);
    return changed({ msg: `moved ${p.plan.path} to ${to}`, data: { moved_to: to } });
  },
};

export default moveAsideModule;
