// etcd_move_aside: a data dir that must be replaced is moved to `<path>.<suffix>` (never
// deleted); converged when the path does not exist. With `copy`, the original stays and a
// copy is made (the survivor's data before force-new-cluster): written to `.partial`, renamed
// when complete, so `<path>.<suffix>` existing means a whole copy; converged then.
import type { EtcdMoveAsideArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import { exists, moveAside } from './aside.js';
import { asideRefusal, dataDirInput } from './data-dir.js';
import { run } from './host.js';

type Plan = { path: string; suffix: string; copy: boolean };

const moveAsideModule: Module<EtcdMoveAsideArgs, Plan> = {
  name: 'etcd_move_aside',
  async check(ctx, args) {
    const path = args.path?.replace(/\/+$/, '');
    const suffix = args.suffix;
    if (!path || path === '/' || !suffix) return { kind: 'failed', result: failed('path and suffix are required (and path may not be /)') };
    const copy = args.copy;
    const refused = await asideRefusal(ctx, path, { ...dataDirInput(path, args), backupDir: args.backup_dir, keep: args.keep ?? [] });
    if (refused) return { kind: 'failed', result: failed(refused) };
    if (copy) {
      if (await exists(ctx, `${path}.${suffix}`))
        return { kind: 'unchanged', result: ok({ msg: `${path}.${suffix} already holds a copy` }) };
      if (!(await exists(ctx, path))) return { kind: 'failed', result: failed(`${path} does not exist: nothing to copy`) };
      return { kind: 'change', summary: `copy ${path} to ${path}.${suffix}`, plan: { path, suffix, copy } };
    }
    if (!(await exists(ctx, path))) return { kind: 'unchanged', result: ok({ msg: `${path} does not exist` }) };
    return { kind: 'change', summary: `move ${path} aside to ${path}.${suffix}`, plan: { path, suffix, copy } };
  },
  async apply(ctx, _args, p) {
    const { path, suffix } = p.plan;
    if (!p.plan.copy) {
      const to = await moveAside(ctx, path, suffix);
      return changed({ msg: `moved ${path} to ${to}`, data: { moved_aside: [to] } });
    }
    const partial = `${path}.${suffix}.partial`;
    if (await exists(ctx, partial)) await moveAside(ctx, partial, 'stale'); // an interrupted copy: kept, not reused
    const cp = await run(ctx, ['cp', '-a', '--', path, partial]);
    if (cp.rc !== 0) return failed(`cannot copy ${path}: ${cp.stderr.trim()}`);
    const mv = await run(ctx, ['mv', '-T', '--', partial, `${path}.${suffix}`]);
    if (mv.rc !== 0) return failed(`cannot rename ${partial}: ${mv.stderr.trim()}`);
    return changed({ msg: `copied ${path} to ${path}.${suffix}`, data: { copied_aside: [`${path}.${suffix}`] } });
  },
};

export default moveAsideModule;
