// etcd_compact: the key-value history is compacted up to the current revision minus
// `retain_revisions`. Reads the current revision (`endpoint status`) and the revision already
// compacted to (`endpoint hashkv` answers with it); unchanged when that is at or past the
// target. Compaction frees pages inside the db for reuse; etcd_defrag then returns them to the
// file system.
import type { EtcdCompactArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { bool, list, num } from '../support/args.js';
import { compaction, endpointStatus, hashKv, type EtcdTools } from './etcdctl.js';
import { etcdTools, tryEtcdTools, run } from './host.js';
import { etcdError, parseEndpointStatus, parseHashKv } from './parse.js';

interface Revisions {
  readonly current: number;
  /** -1: never compacted */
  readonly compacted: number;
}

/** The revision to compact to, or undefined when there is nothing to do. Pure. */
export function compactTarget(r: Revisions, retain: number): number | undefined {
  const target = r.current - Math.max(0, Math.floor(retain));
  return target >= 1 && target > r.compacted ? target : undefined;
}

async function revisions(ctx: ModuleContext, t: EtcdTools, endpoint: string, timeoutS: number): Promise<Revisions | string> {
  const st = await run(ctx, endpointStatus(t, endpoint));
  if (st.rc !== 0) return etcdError(st.stderr) || 'endpoint status failed';
  const hk = await run(ctx, hashKv(t, [endpoint], 0, timeoutS));
  if (hk.rc !== 0) return etcdError(hk.stderr) || 'endpoint hashkv failed';
  return { current: parseEndpointStatus(st.stdout).revision, compacted: parseHashKv(hk.stdout)[0]?.compactRevision ?? -1 };
}

const compact: Module<EtcdCompactArgs, number> = {
  name: 'etcd_compact',
  async check(ctx, args) {
    const endpoints = list(args.endpoints);
    if (endpoints.length === 0) return { kind: 'failed', result: failed('endpoints: at least one client URL of a healthy member is required') };
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const r = await revisions(ctx, got.tools, endpoints[0]!, num(args.timeout, 120));
    if (typeof r === 'string') {
      if (ctx.checkMode) return { kind: 'unknown', summary: `compact the history once ${endpoints[0]} answers (${r})`, plan: 0 };
      return { kind: 'failed', result: failed(`cannot read the revisions of ${endpoints[0]}: ${r}`) };
    }
    const retain = num(args.retain_revisions, 0);
    const target = compactTarget(r, retain);
    const data = { revision: r.current, compacted_to: r.compacted };
    if (target === undefined) return { kind: 'unchanged', result: ok({ msg: `already compacted at revision ${r.compacted} (current ${r.current}, ${retain} retained)`, data }) };
    return { kind: 'change', summary: `compact the history to revision ${target} (current ${r.current}, ${retain} retained${r.compacted > 0 ? `, compacted at ${r.compacted}` : ''})`, plan: target };
  },
  async apply(ctx, args, p) {
    const endpoints = list(args.endpoints);
    const t = await etcdTools(ctx, args);
    let target = p.plan;
    if (target === 0) {
      const r = await revisions(ctx, t, endpoints[0]!, num(args.timeout, 120));
      if (typeof r === 'string') return failed(`cannot read the revisions of ${endpoints[0]}: ${r}`);
      const tg = compactTarget(r, num(args.retain_revisions, 0));
      if (tg === undefined) return ok({ msg: `already compacted at revision ${r.compacted}`, data: { revision: r.current, compacted_to: r.compacted } });
      target = tg;
    }
    const r = await run(ctx, compaction(t, endpoints, target, bool(args.physical, true), num(args.timeout, 120)));
    // someone (the apiserver, auto-compaction) got there first: the state is what we wanted
    if (r.rc !== 0 && !/required revision has been compacted/i.test(r.stderr)) return failed(`compaction to ${target} failed: ${etcdError(r.stderr) || `rc ${r.rc}`}`);
    return changed({ msg: `compacted the history to revision ${target}`, data: { compacted_to: target } });
  },
};

export default compact;
