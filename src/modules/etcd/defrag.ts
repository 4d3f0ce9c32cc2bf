// etcd_defrag: one member's db file holds no more than its data (plus `min_reclaim`). Reads
// `endpoint status` (dbSize vs dbSizeInUse: the free pages a defragment gives back); when
// there is more than `min_reclaim` to reclaim, `etcdctl defrag` on that member alone (it is
// blocked while it rewrites its db, so a playbook does one member at a time). A second run
// finds nothing to reclaim: unchanged.
import type { EtcdDefragArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { defrag, endpointStatus, type EtcdTools } from './etcdctl.js';
import { etcdTools, tryEtcdTools, run } from './host.js';
import { etcdError, parseEndpointStatus, type EndpointStatus } from './parse.js';

export interface DefragSizes {
  readonly name: string;
  readonly is_leader: boolean;
  readonly db_size_before: number;
  readonly in_use_before: number;
  readonly db_size_after: number;
  readonly in_use_after: number;
  readonly reclaimed: number;
}

/** 1536000 → "1.5 MiB" */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  for (; v >= 1024 && i < units.length - 1; i++) v /= 1024;
  return `${v.toFixed(1)} ${units[i]}`;
}

async function status(ctx: ModuleContext, t: EtcdTools, url: string): Promise<EndpointStatus | string> {
  const r = await run(ctx, endpointStatus(t, url));
  return r.rc === 0 ? parseEndpointStatus(r.stdout) : etcdError(r.stderr) || `endpoint status failed (rc ${r.rc})`;
}

const sizes = (name: string, a: EndpointStatus, b: EndpointStatus): DefragSizes => ({
  name,
  is_leader: a.leader === a.memberId,
  db_size_before: a.dbSize,
  in_use_before: a.dbSizeInUse,
  db_size_after: b.dbSize,
  in_use_after: b.dbSizeInUse,
  reclaimed: Math.max(0, a.dbSize - b.dbSize),
});

const defragModule: Module<EtcdDefragArgs, EndpointStatus> = {
  name: 'etcd_defrag',
  async check(ctx, args) {
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const name = args.name || args.client_url;
    const s = await status(ctx, got.tools, args.client_url);
    if (typeof s === 'string') {
      // in a plan the member may be one an earlier task starts
      return {
        kind: 'pending',
        inPlan: { kind: 'unknown', summary: `defragment ${name} once it answers (${s})`, plan: parseEndpointStatus('{}') },
        failure: failed(`${name}: cannot read its db size: ${s}`),
      };
    }
    const free = s.dbSize - s.dbSizeInUse;
    const min = args.min_reclaim;
    if (free < min) {
      return {
        kind: 'unchanged',
        result: ok({
          msg: `${name}: nothing to reclaim (db ${size(s.dbSize)}, ${size(s.dbSizeInUse)} in use; under ${size(min)} free)`,
          data: sizes(name, s, s) as unknown as Record<string, unknown>,
        }),
      };
    }
    return {
      kind: 'change',
      summary: `defragment ${name}${s.leader === s.memberId ? ' (leader)' : ''}: db ${size(s.dbSize)}, ${size(s.dbSizeInUse)} in use, about ${size(free)} to reclaim`,
      plan: s,
    };
  },
  async apply(ctx, args, p) {
    const t = await etcdTools(ctx, args);
    const name = args.name || args.client_url;
    const before = p.plan.memberId ? p.plan : await status(ctx, t, args.client_url);
    if (typeof before === 'string') return failed(`${name}: cannot read its db size: ${before}`);
    const r = await run(ctx, defrag(t, args.client_url, args.timeout));
    if (r.rc !== 0) return failed(`${name}: defrag failed: ${etcdError(r.stderr) || `rc ${r.rc}`}`);
    const after = await status(ctx, t, args.client_url);
    if (typeof after === 'string') return failed(`${name}: defragmented, but it does not answer since: ${after}`);
    const d = sizes(name, before, after);
    return changed({
      msg: `${name}: db ${size(d.db_size_before)} → ${size(d.db_size_after)} (${size(d.reclaimed)} reclaimed; ${size(d.in_use_after)} in use)`,
      data: d as unknown as Record<string, unknown>,
    });
  },
};

export default defragModule;
