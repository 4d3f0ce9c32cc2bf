// etcd_member: a member's place in the cluster's membership, through `endpoints` (healthy
// members' client URLs). present: added (as a learner by default: a stalled joiner never
// counts toward quorum) unless its peer URL is already there; absent: every entry with its
// peer URL or name removed; promoted: a learner made a voting member. etcd refuses changes
// while the previous joiner settles: retried until `timeout`.
import type { EtcdMemberArgs } from '../generated/args.js';
import { changed, failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { sleep } from '../support/exec.js';
import { memberAdd, memberList, memberPromote, memberRemove, type EtcdTools } from './etcdctl.js';
import { etcdTools, EtcdToolError, quickStatus, run } from './host.js';
import { etcdError, leaderless, parseEndpointStatus, parseMemberAdd, parseMembers, type Member } from './parse.js';
import { handOver, healthyIds, leaderId, removalKeepsQuorum, waitHealthy } from './member-remove.js';

/** etcd's answers that mean "not now, try again" */
const TRANSIENT =
  /unhealthy cluster|too many learner|not enough started members|in sync with leader|timed out|deadline exceeded|leader changed|no leader|connection refused|unavailable/i;

/** ETCD_INITIAL_CLUSTER for a joiner, as etcdctl prints it after member add. */
export function initialCluster(members: readonly Member[], newId: string, newName: string): string {
  return members.flatMap((m) => m.peerUrls.map((u) => `${m.id === newId ? newName : m.name}=${u}`)).join(',');
}

async function members(ctx: ModuleContext, t: EtcdTools, endpoints: readonly string[]): Promise<Member[]> {
  const r = await run(ctx, memberList(t, endpoints));
  if (r.rc !== 0) throw new Error(`member list failed on ${endpoints.join(',')}: ${etcdError(r.stderr)}`);
  return parseMembers(r.stdout).members;
}

/** The pause between two refused attempts (was 0.2 s; 1 s before that). */
const RETRY_MS = 100;

/** Retry `op` while etcd answers with a transient refusal. */
async function retrying(
  ctx: ModuleContext,
  timeoutS: number,
  op: () => Promise<{ rc: number; stdout: string; stderr: string }>,
): Promise<{ rc: number; stdout: string; stderr: string; attempts: number }> {
  const deadline = Date.now() + timeoutS * 1000;
  for (let attempts = 1; ; attempts++) {
    const r = await op();
    if (r.rc === 0 || !TRANSIENT.test(r.stderr) || Date.now() > deadline) return { ...r, attempts };
    // etcd refuses a member add until every voting member has been connected for 5 s, and a
    // promote until the learner is in sync: a short pause (0.1 s, as the floor script's), the
    // refusal is cheap (one etcdctl on the host, answered at once)
    if (!(await sleep(RETRY_MS, ctx.signal))) return { ...r, attempts };
  }
}

type Plan = { op: 'add' | 'remove' | 'promote'; ids: string[] };

const member: Module<EtcdMemberArgs, Plan> = {
  name: 'etcd_member',
  async check(ctx, args) {
    const endpoints = args.endpoints ?? [];
    if (endpoints.length === 0)
      return { kind: 'failed', result: failed('endpoints: at least one client URL of a healthy member is required') };
    let t: EtcdTools;
    let list0: Member[];
    try {
      t = await etcdTools(ctx, args);
      // in a plan the cluster may be one an earlier task would start: a quick probe first (a
      // port nobody listens on is refused at once; etcdctl would wait out its dial timeout)
      // (and one without a leader could only time out on `member list`); a plan-time probe: the
      // apply asks `member list` itself and waits as long as it takes
      if (ctx.checkMode) {
        const st = await quickStatus(ctx, t, endpoints[0]!);
        if (!st || st.rc !== 0 || leaderless(parseEndpointStatus(st.stdout))) throw new Error('does not answer');
      }
      list0 = await members(ctx, t, endpoints);
    } catch (e) {
      if (e instanceof EtcdToolError) return { kind: 'failed', result: failed(e.message) };
      // in a plan the cluster may be one an earlier task would start: predict, do not fail
      return {
        kind: 'pending',
        inPlan: {
          kind: 'unknown',
          summary: `${args.state ?? 'present'}: ${args.name} (${args.peer_url}) once ${endpoints.join(',')} answers`,
          plan: { op: 'add', ids: [] },
        },
        failure: failed((e as Error).message),
      };
    }
    const mine = list0.filter((m) => m.peerUrls.includes(args.peer_url) || (args.name !== '' && m.name === args.name));
    const state = args.state ?? 'present';
    const data = (m?: Member) => ({
      members: list0.map((x) => x.name || x.id),
      ...(m ? { id: m.id, is_learner: m.isLearner, initial_cluster: initialCluster(list0, m.id, args.name) } : {}),
    });
    if (state === 'absent') {
      if (mine.length === 0)
        return { kind: 'unchanged', result: ok({ msg: `${args.name} (${args.peer_url}) is not a member`, data: data() }) };
      if (args.keep_quorum) {
        const voting = list0.filter((m) => !m.isLearner);
        const q = removalKeepsQuorum(voting, await healthyIds(ctx, t, voting), new Set(mine.map((m) => m.id)));
        if (!q.ok)
          return {
            kind: 'failed',
            result: failed(
              `refusing to remove ${args.name}: ${q.healthyLeft} healthy of the ${q.left} voting members left, ${q.need} needed for quorum`,
            ),
          };
      }
      return {
        kind: 'change',
        summary: `remove ${mine.map((m) => `${m.name || '(unstarted)'} ${m.id}`).join(', ')} from the cluster`,
        plan: { op: 'remove', ids: mine.map((m) => m.id) },
      };
    }
    const entry = list0.find((m) => m.peerUrls.includes(args.peer_url));
    if (state === 'promoted') {
      if (!entry) {
        // in a plan, the task adding it is only predicted (a rejoin adds, starts, then promotes)
        return {
          kind: 'pending',
          inPlan: {
            kind: 'unknown',
            summary: `promote ${args.name} (${args.peer_url}) once an earlier task added it (not a member yet)`,
            plan: { op: 'promote', ids: [] },
          },
          failure: failed(`${args.name} (${args.peer_url}) is not a member: nothing to promote`),
        };
      }
      if (!entry.isLearner) return { kind: 'unchanged', result: ok({ msg: `${args.name} is a voting member`, data: data(entry) }) };
      return { kind: 'change', summary: `promote learner ${args.name} to a voting member`, plan: { op: 'promote', ids: [entry.id] } };
    }
    if (entry)
      return {
        kind: 'unchanged',
        result: ok({ msg: `${args.name} is already a member (${entry.isLearner ? 'learner' : 'voting'})`, data: data(entry) }),
      };
    const learner = args.learner;
    return {
      kind: 'change',
      summary: `add ${args.name} (${args.peer_url})${learner ? ' as a learner' : ''}`,
      plan: { op: 'add', ids: [] },
    };
  },
  async apply(ctx, args, p) {
    const endpoints = args.endpoints ?? [];
    const t = await etcdTools(ctx, args);
    const timeout = args.timeout;
    if (p.plan.op === 'remove') {
      const now = await members(ctx, t, endpoints);
      const lid = await leaderId(ctx, t, endpoints);
      const leader = now.find((m) => m.id === lid);
      if (leader && p.plan.ids.includes(leader.id)) {
        const staying = await healthyIds(
          ctx,
          t,
          now.filter((m) => !m.isLearner && !p.plan.ids.includes(m.id)),
        );
        const why = await handOver(ctx, t, now, leader, staying, timeout);
        if (why) return failed(why);
      }
      for (const id of p.plan.ids) {
        const r = await retrying(ctx, timeout, () => run(ctx, memberRemove(t, endpoints, id)));
        if (r.rc !== 0 && !/member not found/i.test(r.stderr)) return failed(`member remove ${id} failed: ${etcdError(r.stderr)}`);
      }
      const left = await members(ctx, t, endpoints);
      const sick = args.keep_quorum ? await waitHealthy(ctx, t, left, timeout) : undefined;
      if (sick) return failed(`removed ${p.plan.ids.join(', ')}, but ${sick}`);
      return changed({
        msg: `removed ${p.plan.ids.join(', ')}${leader && p.plan.ids.includes(leader.id) ? ' (leadership handed over first)' : ''}`,
        data: { members: left.map((x) => x.name || x.id) },
      });
    }
    if (p.plan.op === 'promote') {
      const id = p.plan.ids[0] ?? (await members(ctx, t, endpoints)).find((m) => m.peerUrls.includes(args.peer_url))?.id;
      if (!id) return failed(`${args.name} (${args.peer_url}) is not a member: nothing to promote`);
      const r = await retrying(ctx, timeout, () => run(ctx, memberPromote(t, endpoints, id)));
      if (r.rc !== 0) return failed(`member promote failed after ${r.attempts} attempts: ${etcdError(r.stderr)}`);
      return changed({ msg: `promoted ${args.name} (${r.attempts} attempt${r.attempts > 1 ? 's' : ''})` });
    }
    const learner = args.learner;
    const r = await retrying(ctx, timeout, () => run(ctx, memberAdd(t, endpoints, args.name, args.peer_url, learner)));
    if (r.rc !== 0) return failed(`member add ${args.name} failed after ${r.attempts} attempts: ${etcdError(r.stderr)}`);
    const added = parseMemberAdd(r.stdout);
    const ic = initialCluster(added.members, added.id, args.name);
    return changed({
      msg: `added ${args.name} as ${learner ? 'a learner' : 'a voting member'} (${r.attempts} attempt${r.attempts > 1 ? 's' : ''})`,
      data: { id: added.id, is_learner: learner, initial_cluster: ic, members: added.members.map((x) => x.name || x.id) },
    });
  },
};

export default member;
