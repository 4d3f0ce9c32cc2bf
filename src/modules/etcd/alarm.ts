// etcd_alarm: the cluster's alarms. `list` reports them; `disarmed` converges to no alarm, but
// only once its cause is gone, because etcd would raise it again at once (NOSPACE) or the data
// really differs (CORRUPT):
//   NOSPACE — every member's db file below its backend quota less `min_free_percent` (10 %):
//             etcd raised the alarm when one write would have crossed the quota, so a db just
//             under it is no cure (etcd compares the file size, so compact and defragment
//             first); the quota is read from the member's /metrics
//             (etcd_server_quota_backend_bytes) unless `quota_bytes` says it;
//   CORRUPT — every member's HashKV equal at one revision.
import type { EtcdAlarmArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { alarmDisarm, alarmList, endpointStatus, memberList, metricsCurl, type EtcdTools } from './etcdctl.js';
import { etcdTools, tryEtcdTools, run } from './host.js';
import { size } from './defrag.js';
import { clusterHashes } from './hashkv.js';
import { describeVerdict } from './hashkv-verdict.js';
import { etcdError, parseAlarms, parseEndpointStatus, parseMembers, parseQuota } from './parse.js';

interface Raised {
  readonly member: string;
  readonly alarm: string;
}

async function raised(ctx: ModuleContext, t: EtcdTools, endpoints: readonly string[]): Promise<Raised[] | string> {
  const r = await run(ctx, alarmList(t, endpoints));
  if (r.rc !== 0) return etcdError(r.stderr) || `alarm list failed (rc ${r.rc})`;
  const names = new Map<string, string>();
  const ml = await run(ctx, memberList(t, endpoints));
  if (ml.rc === 0) for (const m of parseMembers(ml.stdout).members) names.set(m.id, m.name);
  return parseAlarms(r.stdout).map((a) => ({ member: names.get(a.memberId) || a.memberId, alarm: a.alarm }));
}

/** Why the NOSPACE alarm must stay (one reason a member), or [] when every db fits its quota. */
async function spaceProblems(
  ctx: ModuleContext,
  t: EtcdTools,
  endpoints: readonly string[],
  quotaArg: number,
  freePercent: number,
): Promise<string[]> {
  const out: string[] = [];
  for (const e of endpoints) {
    const st = await run(ctx, endpointStatus(t, e));
    if (st.rc !== 0) {
      out.push(`${e}: cannot read its db size (${etcdError(st.stderr) || 'does not answer'})`);
      continue;
    }
    const s = parseEndpointStatus(st.stdout);
    let quota = quotaArg > 0 ? quotaArg : undefined;
    if (quota === undefined) {
      const m = await run(ctx, metricsCurl(t, e));
      quota = m.rc === 0 ? parseQuota(m.stdout) : undefined;
      if (quota === undefined) {
        out.push(`${e}: cannot read its backend quota from ${e}/metrics (set quota_bytes)`);
        continue;
      }
    }
    const limit = quota * (1 - Math.min(90, Math.max(0, freePercent)) / 100);
    const room = `a ${size(quota)} quota (${freePercent}% must stay free)`;
    if (s.dbSizeInUse >= limit) out.push(`${e}: ${size(s.dbSizeInUse)} in use of ${room}: compact the history first`);
    else if (s.dbSize >= limit) out.push(`${e}: db file ${size(s.dbSize)} of ${room}, ${size(s.dbSizeInUse)} in use: defragment it first`);
  }
  return out;
}

async function causes(
  ctx: ModuleContext,
  t: EtcdTools,
  endpoints: readonly string[],
  alarms: readonly Raised[],
  quota: number,
  freePercent: number,
): Promise<string[]> {
  const out: string[] = [];
  if (alarms.some((a) => a.alarm === 'NOSPACE'))
    out.push(...(await spaceProblems(ctx, t, endpoints, quota, freePercent)).map((p) => `NOSPACE: ${p}`));
  if (alarms.some((a) => a.alarm === 'CORRUPT')) {
    const h = await clusterHashes(ctx, t, endpoints, undefined, 30);
    if (typeof h === 'string') out.push(`CORRUPT: cannot compare HashKV: ${h}`);
    else if (h.verdict.kind !== 'agree') out.push(`CORRUPT: ${describeVerdict(h.verdict, h.revision)}`);
  }
  return out;
}

const describe = (a: readonly Raised[]): string => a.map((x) => `${x.alarm} (${x.member})`).join(', ');
const asData = (a: readonly Raised[]) => ({ alarms: a.map((x) => ({ member: x.member, alarm: x.alarm })) });

const alarm: Module<EtcdAlarmArgs, Raised[]> = {
  name: 'etcd_alarm',
  async check(ctx, args) {
    const endpoints = args.endpoints ?? [];
    if (endpoints.length === 0) return { kind: 'failed', result: failed('endpoints: the client URLs of every member are required') };
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const a = await raised(ctx, got.tools, endpoints);
    if (typeof a === 'string') {
      return {
        kind: 'pending',
        inPlan: { kind: 'unknown', summary: `read the alarms once ${endpoints.join(', ')} answer (${a})`, plan: [] },
        failure: failed(`cannot list the alarms: ${a}`),
      };
    }
    if (a.length === 0) return { kind: 'unchanged', result: ok({ msg: 'no alarm', data: asData(a) }) };
    if ((args.state ?? 'list') === 'list') return { kind: 'unchanged', result: ok({ msg: `alarms: ${describe(a)}`, data: asData(a) }) };
    const why = await causes(ctx, got.tools, endpoints, a, args.quota_bytes ?? 0, args.min_free_percent);
    if (why.length > 0) {
      // in a plan, the compaction and defragment before this task have not run yet
      return {
        kind: 'pending',
        inPlan: { kind: 'unknown', summary: `disarm ${describe(a)} once the cause is gone (now: ${why.join('; ')})`, plan: a },
        failure: failed(`refusing to disarm ${describe(a)}: the cause is still there: ${why.join('; ')}`, { data: asData(a) }),
      };
    }
    return { kind: 'change', summary: `disarm ${describe(a)}: the cause is gone`, plan: a };
  },
  async apply(ctx, args, p) {
    const endpoints = args.endpoints ?? [];
    const t = await etcdTools(ctx, args);
    if (p.kind === 'unknown') {
      // predicted in a plan: look again now that the earlier tasks ran
      const a = await raised(ctx, t, endpoints);
      if (typeof a === 'string') return failed(`cannot list the alarms: ${a}`);
      if (a.length === 0) return ok({ msg: 'no alarm', data: asData(a) });
      const why = await causes(ctx, t, endpoints, a, args.quota_bytes ?? 0, args.min_free_percent);
      if (why.length > 0)
        return failed(`refusing to disarm ${describe(a)}: the cause is still there: ${why.join('; ')}`, { data: asData(a) });
    }
    const r = await run(ctx, alarmDisarm(t, endpoints));
    if (r.rc !== 0) return failed(`alarm disarm failed: ${etcdError(r.stderr) || `rc ${r.rc}`}`);
    const left = await raised(ctx, t, endpoints);
    if (typeof left === 'string') return failed(`disarmed, but the alarms cannot be listed since: ${left}`);
    if (left.length > 0) return failed(`still raised after disarm: ${describe(left)}`, { data: asData(left) });
    return changed({ msg: `disarmed ${describe(p.plan)}`, data: asData(left) });
  },
};

export default alarm;
