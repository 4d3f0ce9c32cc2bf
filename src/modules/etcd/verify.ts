// etcd_verify: the recovered cluster is what we promised: every expected member started and
// healthy, one cluster ID, the keys in `keys` readable (with their values when given), the
// key count as expected, and (outside plans) a test write that is read back and deleted.
import type { EtcdVerifyArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { ctl, endpointHealth, endpointStatus, keyCount, memberList, type EtcdTools } from './etcdctl.js';
import type { ExecResult } from '../../connection/types.js';
import { listening, rememberSilent, silentEarlier, tryEtcdTools, run, runTogether } from './host.js';
import {
  etcdError,
  leaderless,
  parseCount,
  parseEndpointStatus,
  parseEndpointStatuses,
  parseHealth,
  parseHealths,
  parseMembers,
  type EndpointStatus,
} from './parse.js';
import { parseEtcdJson } from './etcdctl.js';
import { countV2 } from './facts.js';
import { judgeData, optionalNumber } from './verify-data.js';

async function read(ctx: ModuleContext, t: EtcdTools, endpoints: readonly string[], key: string): Promise<string | undefined> {
  const r = await run(ctx, ctl(t, endpoints, 'get', key, '-w', 'json'));
  if (r.rc !== 0) throw new Error(`get ${key}: ${etcdError(r.stderr)}`);
  const kvs = (parseEtcdJson(r.stdout) as { kvs?: { value?: string }[] }).kvs;
  return kvs?.[0] ? Buffer.from(kvs[0].value ?? '', 'base64').toString('utf8') : undefined;
}

/** Every endpoint's status when each of them answered it and `endpoint health` said healthy; else undefined. */
function allHealthy(endpoints: readonly string[], s: ExecResult, h: ExecResult): EndpointStatus[] | undefined {
  if (s.rc !== 0 || h.rc !== 0) return undefined;
  try {
    const statuses = parseEndpointStatuses(s.stdout);
    const healths = parseHealths(h.stdout);
    const out = endpoints.map((e) => (healths.get(e)?.healthy ? statuses.get(e) : undefined));
    return out.every((x) => x !== undefined) ? (out as EndpointStatus[]) : undefined;
  } catch {
    return undefined;
  }
}

async function problems(
  ctx: ModuleContext,
  t: EtcdTools,
  a: EtcdVerifyArgs,
  write: boolean,
): Promise<{ problems: string[]; notes: string[]; facts: Record<string, unknown> }> {
  const endpoints = a.endpoints ?? [];
  const out: string[] = [];
  const clusterIds = new Set<string>();
  let revision: number | undefined;
  // outside a plan the cluster is expected healthy: every member's status and health in one
  // etcdctl each, at once with the member list and the key count (four reads that need not
  // wait for each other); anything short of all of them answering healthy is asked member by
  // member below, for the message
  const early = ctx.checkMode
    ? undefined
    : await runTogether(ctx, [
        ctl(t, endpoints, 'endpoint', 'status', '-w', 'json'),
        ctl(t, endpoints, 'endpoint', 'health', '-w', 'json'),
        memberList(t, endpoints),
        keyCount(t, endpoints),
      ]);
  const all = early ? allHealthy(endpoints, early[0]!, early[1]!) : undefined;
  if (all) {
    for (const st of all) clusterIds.add(st.clusterId);
    revision = Math.max(...all.map((st) => st.revision));
  }
  for (const e of all ? [] : endpoints) {
    // in a plan, nothing listening or no leader is enough to know verify cannot pass yet: no
    // etcdctl call that would wait out a timeout
    if (ctx.checkMode && (silentEarlier(ctx, e) || !(await listening(ctx, e)))) {
      out.push(`${e} does not answer`);
      continue;
    }
    const s = await run(ctx, endpointStatus(t, e, ctx.checkMode));
    if (s.rc !== 0) {
      rememberSilent(ctx, e);
      out.push(`${e} does not answer: ${etcdError(s.stderr)}`);
      continue;
    }
    const st = parseEndpointStatus(s.stdout);
    clusterIds.add(st.clusterId);
    revision = Math.max(revision ?? 0, st.revision);
    if (ctx.checkMode && leaderless(st)) {
      out.push(`${e} has no leader`);
      continue;
    }
    const h = await run(ctx, endpointHealth(t, e));
    if (h.rc !== 0 || !parseHealth(h.stdout).healthy) out.push(`${e} is not healthy`);
  }
  if (clusterIds.size > 1) out.push(`members disagree on the cluster ID: ${[...clusterIds].join(', ')}`);
  // in a plan, a cluster that does not answer yet is not asked more (each ask would time out)
  if (out.length > 0 && ctx.checkMode) return { problems: out, notes: [], facts: { cluster_ids: [...clusterIds] } };
  const ml = early?.[2] ?? (await run(ctx, memberList(t, endpoints)));
  const memberNames: string[] = [];
  if (ml.rc !== 0) out.push(`member list failed: ${etcdError(ml.stderr)}`);
  else {
    const ms = parseMembers(ml.stdout).members;
    for (const m of ms) memberNames.push(m.name || `(unstarted ${m.id})`);
    for (const want of a.members ?? []) {
      const m = ms.find((x) => x.name === want);
      if (!m) out.push(`${want} is not a started member`);
      else if (m.isLearner) out.push(`${want} is still a learner`);
    }
    // an unreachable member stays in the membership while the others keep quorum (it may only be rebooting)
    const notChecked = [...(a.unreachable ?? []), ...(a.failed ?? [])];
    for (const m of ms)
      if (!(a.members ?? []).includes(m.name) && !notChecked.includes(m.name))
        out.push(`unexpected member ${m.name || '(unstarted)'} ${m.id}`);
  }
  const keys = a.keys ?? [];
  const wanted: [string, string | undefined][] = Array.isArray(keys)
    ? keys.map((k) => [String(k), undefined])
    : Object.entries(keys).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]);
  for (const [k, v] of wanted) {
    const got = await read(ctx, t, endpoints, k);
    if (got === undefined) out.push(`key ${k} is missing`);
    else if (v !== undefined && got !== v) out.push(`key ${k} is '${got}', expected '${v}'`);
  }
  const c = early?.[3] ?? (await run(ctx, keyCount(t, endpoints)));
  const count = c.rc === 0 ? parseCount(c.stdout) : undefined;
  const expected = a.key_count === undefined || a.key_count === null || a.key_count === '' ? undefined : Number(a.key_count);
  if (expected !== undefined && count !== expected) out.push(`${count ?? '?'} keys, expected ${expected}`);
  const v2Expected = a.v2_key_count === undefined || a.v2_key_count === null || a.v2_key_count === '' ? undefined : Number(a.v2_key_count);
  let v2Count: number | undefined;
  if (v2Expected !== undefined) {
    v2Count = await countV2(ctx, t, endpoints[0]!);
    if (v2Count !== v2Expected) out.push(`${v2Count ?? '?'} v2 keys, expected ${v2Expected}`);
  }
  const judged = judgeData(
    {
      newestRevision: optionalNumber(a.newest_revision),
      newestKeyCount: optionalNumber(a.newest_key_count),
      sourceRevision: optionalNumber(a.source_revision),
      sourceKeyCount: optionalNumber(a.source_key_count),
      acceptLoss: a.accept_loss ?? false,
    },
    { ...(revision !== undefined ? { revision } : {}), ...(count !== undefined ? { keyCount: count } : {}) },
  );
  out.push(...judged.problems);
  if (write && out.length === 0) {
    const key = `/runbook/verify/${Date.now()}`;
    const put = await run(ctx, ctl(t, endpoints, 'put', key, 'ok'));
    const back = put.rc === 0 ? await read(ctx, t, endpoints, key) : undefined;
    await run(ctx, ctl(t, endpoints, 'del', key));
    if (back !== 'ok') out.push(`test write failed: ${etcdError(put.stderr) || 'not read back'}`);
  }
  const unreachable = (a.unreachable ?? []).filter((n) => memberNames.includes(n));
  const failedHere = (a.failed ?? []).filter((n) => memberNames.includes(n));
  return {
    problems: out,
    notes: [
      ...judged.notes,
      ...(unreachable.length ? [`${unreachable.join(', ')} unreachable: left in the membership, not checked`] : []),
      ...(failedHere.length ? [`${failedHere.join(', ')} failed in this run (see above): left in the membership, not checked`] : []),
    ],
    facts: {
      members: memberNames,
      cluster_ids: [...clusterIds],
      key_count: count,
      ...(revision !== undefined ? { revision } : {}),
      ...(v2Count !== undefined ? { v2_key_count: v2Count } : {}),
      ...(unreachable.length ? { unreachable } : {}),
      ...(judged.notes.length ? { accepted_loss: judged.notes } : {}),
    },
  };
}

const verify: Module<EtcdVerifyArgs, never> = {
  name: 'etcd_verify',
  readOnly: true,
  async check(ctx, args) {
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const t = got.tools;
    // the test write changes the cluster (a key written and deleted): only an apply makes it
    const write = !ctx.checkMode && args.test_write;
    const r = await problems(ctx, t, args, write);
    const what = `${(args.members ?? []).length} members, cluster ${String(r.facts['cluster_ids'])}, ${r.facts['key_count'] ?? '?'} keys${write ? ', test write ok' : ''}`;
    if (r.problems.length)
      return {
        kind: 'pending',
        inPlan: {
          kind: 'unknown',
          summary: `verify once the steps above ran (now: ${r.problems[0]}${r.problems.length > 1 ? ` and ${r.problems.length - 1} more` : ''})`,
          plan: undefined as never,
        },
        failure: failed(`verification failed: ${r.problems.join('; ')}`, { data: r.facts }),
      };
    return { kind: 'unchanged', result: ok({ msg: `verified: ${what}${r.notes.length ? `; ${r.notes.join('; ')}` : ''}`, data: r.facts }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default verify;
