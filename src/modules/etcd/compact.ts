// etcd_compact: the key-value history is compacted up to the current revision minus
// `retain_revisions`, or up to the newest revision sampled at least `retain_duration` ago
// (compact-history.ts: etcd has no time → revision map, so runs sample it into
// `history_file` on the host, as etcd's periodic auto-compactor samples it in memory).
// Reads the current revision (`endpoint status`) and the revision already compacted to
// (`endpoint hashkv` answers with it); unchanged when that is at or past the target.
// Compaction frees pages inside the db for reuse; etcd_defrag then returns them to the file
// system. The sample a run appends is bookkeeping, not a change: a run that only records is ok.
import { dirname } from 'node:path';
import type { EtcdCompactArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { compaction, endpointStatus, hashKv, type EtcdTools } from './etcdctl.js';
import { etcdTools, tryEtcdTools, run } from './host.js';
import { etcdError, parseEndpointStatus, parseHashKv } from './parse.js';
import { chooseByAge, historyText, parseHistory, parseRetention, span, type RevisionSample } from './compact-history.js';

interface Revisions {
  readonly current: number;
  /** -1: never compacted */
  readonly compacted: number;
  readonly clusterId: string;
}

/** The revision to compact to, or undefined when there is nothing to do. Pure. */
export function compactTarget(r: Pick<Revisions, 'current' | 'compacted'>, retain: number): number | undefined {
  return beyond(r, r.current - Math.max(0, Math.floor(retain)));
}

/** `target` when it is a revision past the compacted one, else undefined. Pure. */
function beyond(r: Pick<Revisions, 'current' | 'compacted'>, target: number): number | undefined {
  return target >= 1 && target <= r.current && target > r.compacted ? target : undefined;
}

async function revisions(ctx: ModuleContext, t: EtcdTools, endpoint: string, timeoutS: number): Promise<Revisions | string> {
  const st = await run(ctx, endpointStatus(t, endpoint));
  if (st.rc !== 0) return etcdError(st.stderr) || 'endpoint status failed';
  const hk = await run(ctx, hashKv(t, [endpoint], 0, timeoutS));
  if (hk.rc !== 0) return etcdError(hk.stderr) || 'endpoint hashkv failed';
  const s = parseEndpointStatus(st.stdout);
  return { current: s.revision, compacted: parseHashKv(hk.stdout)[0]?.compactRevision ?? -1, clusterId: s.clusterId };
}

interface Decision {
  /** undefined: nothing to compact */
  readonly target: number | undefined;
  /** why (the unchanged message, or the change's summary) */
  readonly why: string;
  /** appended to history_file when the run is applied */
  readonly sample?: RevisionSample;
  readonly data: Record<string, unknown>;
}

interface Plan {
  readonly target: number | undefined;
  readonly sample?: RevisionSample;
  /** check() could not read the revisions (a plan): apply decides again */
  readonly later?: true;
}

async function history(ctx: ModuleContext, file: string): Promise<{ now: number; samples: RevisionSample[] } | string> {
  const d = await run(ctx, ['date', '+%s']);
  const now = Number(d.stdout.trim());
  if (d.rc !== 0 || !Number.isFinite(now) || now <= 0)
    return `cannot read the host's clock (date +%s: ${d.stderr.trim() || d.stdout.trim()})`;
  const text = await ctx.conn.readFile(file, ctx.become ? { become: ctx.become } : {});
  return { now, samples: parseHistory(text ? text.toString('utf8') : '') };
}

/** Bad combinations of arguments, as one line; undefined when they are fine. */
function argProblem(args: EtcdCompactArgs): string | undefined {
  if ((args.endpoints ?? []).length === 0) return 'endpoints: at least one client URL of a healthy member is required';
  const duration = args.retain_duration;
  if (duration === undefined) return undefined;
  if (args.retain_revisions > 0) return 'give retain_revisions or retain_duration, not both';
  if (!args.history_file)
    return 'retain_duration needs history_file: the file on the host where runs record (time, revision) samples, e.g. {{ etcd_backup_dir }}/compact-history.jsonl';
  const w = parseRetention(duration);
  return typeof w === 'number' ? undefined : w.error;
}

async function decide(ctx: ModuleContext, args: EtcdCompactArgs, r: Revisions): Promise<Decision | string> {
  const file = args.history_file;
  const h = file ? await history(ctx, file) : undefined;
  if (typeof h === 'string') return h;
  const sample = h ? { sample: { time: h.now, revision: r.current, cluster_id: r.clusterId } } : {};
  const base = { revision: r.current, compacted_to: r.compacted };
  const duration = args.retain_duration;
  if (duration === undefined || !h) {
    const retain = args.retain_revisions;
    const target = compactTarget(r, retain);
    if (target === undefined)
      return {
        target,
        why: `already compacted at revision ${r.compacted} (current ${r.current}, ${retain} retained)`,
        ...sample,
        data: base,
      };
    return {
      target,
      why: `compact the history to revision ${target} (current ${r.current}, ${retain} retained${r.compacted > 0 ? `, compacted at ${r.compacted}` : ''})`,
      ...sample,
      data: base,
    };
  }
  const windowS = parseRetention(duration) as number;
  const c = chooseByAge(h.samples, { now: h.now, windowS, clusterId: r.clusterId, current: r.current });
  if (c.kind === 'none')
    return {
      target: undefined,
      why: `nothing to compact for a ${duration} window: ${c.reason}`,
      ...sample,
      data: { ...base, samples: h.samples.length },
    };
  const at = { sampled_revision: c.sample.revision, sampled_at: new Date(c.sample.time * 1000).toISOString() };
  const target = beyond(r, c.sample.revision);
  if (target === undefined)
    return {
      target,
      why: `already compacted at revision ${r.compacted} (revision ${c.sample.revision} was current ${span(h.now - c.sample.time)} ago, a ${duration} window)`,
      ...sample,
      data: { ...base, ...at },
    };
  return {
    target,
    why: `compact the history to revision ${target}, current ${span(h.now - c.sample.time)} ago (a ${duration} window; current ${r.current}${r.compacted > 0 ? `, compacted at ${r.compacted}` : ''})`,
    ...sample,
    data: { ...base, ...at },
  };
}

async function record(ctx: ModuleContext, file: string, sample: RevisionSample): Promise<string | undefined> {
  const become = ctx.become ? { become: ctx.become } : {};
  const mk = await run(ctx, ['mkdir', '-p', '--', dirname(file)]);
  if (mk.rc !== 0) return `cannot create ${dirname(file)}: ${mk.stderr.trim()}`;
  // read again: another run may have appended since check()
  const text = await ctx.conn.readFile(file, become);
  await ctx.conn.writeFileAtomic(file, historyText(parseHistory(text ? text.toString('utf8') : ''), sample), { mode: 0o600, ...become });
  return undefined;
}

const compact: Module<EtcdCompactArgs, Plan> = {
  name: 'etcd_compact',
  async check(ctx, args) {
    const bad = argProblem(args);
    if (bad) return { kind: 'failed', result: failed(bad) };
    const endpoints = args.endpoints ?? [];
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const r = await revisions(ctx, got.tools, endpoints[0]!, args.timeout);
    if (typeof r === 'string') {
      return {
        kind: 'pending',
        inPlan: {
          kind: 'unknown',
          summary: `compact the history once ${endpoints[0]} answers (${r})`,
          plan: { target: undefined, later: true },
        },
        failure: failed(`cannot read the revisions of ${endpoints[0]}: ${r}`),
      };
    }
    const d = await decide(ctx, args, r);
    if (typeof d === 'string') return { kind: 'failed', result: failed(d) };
    if (d.target !== undefined)
      return { kind: 'change', summary: d.why, plan: { target: d.target, ...(d.sample ? { sample: d.sample } : {}) } };
    // nothing to compact; outside check mode the sample still has to be written (by apply):
    // bookkeeping only an apply may write, so a plan shows the task unchanged (part of the contract)
    if (d.sample && !ctx.checkMode) return { kind: 'change', summary: d.why, plan: { target: undefined, sample: d.sample } };
    return { kind: 'unchanged', result: ok({ msg: d.sample ? `${d.why}; would record revision ${r.current}` : d.why, data: d.data }) };
  },
  async apply(ctx, args, p) {
    const endpoints = args.endpoints ?? [];
    const t = await etcdTools(ctx, args);
    let plan = p.plan;
    let why = p.summary;
    let data: Record<string, unknown> = {};
    if (plan.later) {
      const r = await revisions(ctx, t, endpoints[0]!, args.timeout);
      if (typeof r === 'string') return failed(`cannot read the revisions of ${endpoints[0]}: ${r}`);
      const d = await decide(ctx, args, r);
      if (typeof d === 'string') return failed(d);
      plan = { target: d.target, ...(d.sample ? { sample: d.sample } : {}) };
      why = d.why;
      data = d.data;
    }
    const file = args.history_file;
    const recorded = plan.sample && file ? { recorded: plan.sample } : {};
    if (plan.sample && file) {
      const e = await record(ctx, file, plan.sample);
      if (e) return failed(`cannot record the revision sample: ${e}`);
    }
    if (plan.target === undefined)
      return ok({ msg: plan.sample ? `${why}; recorded revision ${plan.sample.revision}` : why, data: { ...data, ...recorded } });
    const target = plan.target;
    const r = await run(ctx, compaction(t, endpoints, target, args.physical, args.timeout));
    // someone (the apiserver, auto-compaction) got there first: the state is what we wanted
    if (r.rc !== 0 && !/required revision has been compacted/i.test(r.stderr))
      return failed(`compaction to ${target} failed: ${etcdError(r.stderr) || `rc ${r.rc}`}`);
    return changed({ msg: `compacted the history to revision ${target}`, data: { ...data, compacted_to: target, ...recorded } });
  },
};

export default compact;
