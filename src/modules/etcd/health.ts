// etcd_health: wait until every endpoint answers `endpoint health` (a member is healthy only
// when its cluster has quorum) — or, for a learner, `endpoint status` — or fail after
// `timeout` seconds with the last answer.
// Healthy already: ok. In a plan it only probes once.
// With lost_publish_after: a joiner etcd lost its own publish for (the cluster lists it, it
// accepts no client connection) is given up on with lost_publish: true, for the playbook to
// restart it instead of waiting out etcd's 7 s request timeout (docs/dr-speed.md).
import type { EtcdHealthArgs } from '../generated/args.js';
import { failed, ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { sleep } from '../support/exec.js';
import { endpointHealth, endpointStatus, memberList, type EtcdTools } from './etcdctl.js';
import { etcdTools, tryEtcdTools, listening, rememberSilent, run, silentEarlier } from './host.js';
import { etcdError, leaderless, parseEndpointStatus, parseHealth, parseMembers } from './parse.js';
import { clientPortState } from './unready.js';

async function unhealthy(ctx: ModuleContext, t: EtcdTools, endpoints: readonly string[], learner: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const e of endpoints) {
    if (silentEarlier(ctx, e)) {
      out.push(`${e}: did not answer earlier in this plan`);
      continue;
    }
    if (!(await listening(ctx, e))) {
      out.push(`${e}: nothing listens`);
      continue;
    }
    if (learner) {
      // a learner refuses `endpoint health` (no linearizable reads); it is up once it serves status
      const st = await run(ctx, endpointStatus(t, e, true));
      if (st.rc !== 0) out.push(`${e}: ${etcdError(st.stderr) || 'does not answer'}`);
      continue;
    }
    // a plan-time probe (a read strategy, not a decision): the apply's wait loop asks health itself
    if (ctx.checkMode) {
      // a plan only predicts: a member without a leader is not healthy now, and its health
      // probe would only time out (the apply's wait loop asks health itself)
      const st = await run(ctx, endpointStatus(t, e, true));
      if (st.rc !== 0) {
        rememberSilent(ctx, e);
        out.push(`${e}: ${etcdError(st.stderr) || 'does not answer'}`);
        continue;
      }
      if (leaderless(parseEndpointStatus(st.stdout))) {
        out.push(`${e}: no leader`);
        continue;
      }
    }
    const r = await run(ctx, endpointHealth(t, e, true));
    if (r.rc === 0 && parseHealth(r.stdout).healthy) continue;
    let why = etcdError(r.stderr);
    try {
      why = parseHealth(r.stdout).error ?? why;
    } catch {
      /* no JSON: keep stderr */
    }
    out.push(`${e}: ${why || 'unhealthy'}`);
  }
  return out;
}

const bareUrl = (u: string): string => u.trim().replace(/\/+$/, '');

/**
 * Does the member list (etcdctl member list -w json) show the member that serves `clientUrl` as
 * published — its name set and that client URL among its own? A member that has not published
 * itself yet is listed without a name and without client URLs. Pure.
 */
export function listedAsPublished(memberListJson: string, clientUrl: string): boolean {
  try {
    const want = bareUrl(clientUrl);
    return parseMembers(memberListJson).members.some((m) => m.name !== '' && m.clientUrls.some((u) => bareUrl(u) === want));
  } catch {
    return false;
  }
}

/**
 * etcd's lost publish, seen from the joiner's host: its client port accepts no connection while
 * its process idles (unready.ts: it has not seen its own publish applied) and the cluster
 * already lists it as published ('lost'). 'unready' alone (no sign of the publish): not yet
 * published, and a health probe could only time out.
 */
async function publishState(
  ctx: ModuleContext,
  t: EtcdTools,
  endpoint: string,
  cluster: readonly string[],
): Promise<'lost' | 'unready' | 'other'> {
  const port = await clientPortState(ctx, endpoint);
  if (port !== 'unready') return 'other';
  const ml = await run(ctx, memberList(t, cluster));
  return ml.rc === 0 && listedAsPublished(ml.stdout, endpoint) ? 'lost' : 'unready';
}

/** The cluster to read the member list from when the lost publish is watched for (one endpoint, lost_publish_after set), else undefined. */
function publishWatch(args: EtcdHealthArgs, endpoints: readonly string[]): readonly string[] | undefined {
  const cluster = args.cluster_endpoints ?? [];
  return args.lost_publish_after !== undefined && cluster.length > 0 && endpoints.length === 1 ? cluster : undefined;
}

const health: Module<EtcdHealthArgs, string[]> = {
  name: 'etcd_health',
  async check(ctx, args) {
    const endpoints = args.endpoints ?? [];
    if (endpoints.length === 0) return { kind: 'failed', result: failed('endpoints: at least one client URL is required') };
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const t = got.tools;
    // a joiner that accepts no connection yet (it has not published itself, or etcd lost its
    // publish) is not asked for its health: that probe would only wait out its 1 s timeout,
    // most of the wait after a rejoin's last promote
    const cluster = publishWatch(args, endpoints);
    if (!ctx.checkMode && cluster)
      if ((await publishState(ctx, t, endpoints[0]!, cluster)) !== 'other')
        return { kind: 'unknown', summary: `wait until ${endpoints[0]} is healthy`, plan: endpoints };
    const bad = await unhealthy(ctx, t, endpoints, args.learner);
    if (bad.length === 0) return { kind: 'unchanged', result: ok({ msg: `healthy: ${endpoints.join(', ')}` }) };
    return {
      kind: 'unknown',
      summary: `wait until ${endpoints.join(', ')} ${endpoints.length > 1 ? 'are' : 'is'} healthy`,
      plan: endpoints,
    };
  },
  async apply(ctx, args, p) {
    const t = await etcdTools(ctx, args);
    const timeout = args.timeout;
    const started = Date.now();
    const lostAfter = args.lost_publish_after ?? 0;
    const cluster = publishWatch(args, p.plan);
    let seen = 0; // consecutive rounds that saw the lost publish (the normal lag is milliseconds)
    let bad: string[] = [];
    do {
      let asked = false;
      if (cluster) {
        const state = await publishState(ctx, t, p.plan[0]!, cluster);
        if (state === 'lost' && Date.now() - started >= lostAfter * 1000 && ++seen >= 2)
          return ok({
            msg: `${p.plan[0]} is listed as published by the cluster but accepts no client connection ${((Date.now() - started) / 1000).toFixed(1)} s into the wait: etcd lost its own publish (it would wait out its 7 s request timeout); restart it`,
            data: { lost_publish: true },
          });
        if (state !== 'lost') seen = 0;
        if (state !== 'other') {
          // it accepts no connection: its health probe could only time out
          bad = [`${p.plan[0]}: ${state === 'lost' ? 'published, not serving yet' : 'accepts no connection yet (not published)'}`];
          asked = true;
        }
      }
      if (!asked) bad = await unhealthy(ctx, t, p.plan, args.learner);
      if (bad.length === 0) return ok({ msg: `healthy after ${((Date.now() - started) / 1000).toFixed(1)} s: ${p.plan.join(', ')}` });
      ctx.progress?.({
        waitingFor: `${p.plan.join(', ')} healthy`,
        elapsedMs: Date.now() - started,
        deadlineMs: timeout * 1000,
        last: bad.join('; '),
      });
      // a fast poll: each round is one probe a member (a round trip and an etcdctl), the wait
      // itself is what a recovery spends most of its time in
    } while (Date.now() - started < timeout * 1000 && (await sleep(100, ctx.signal)));
    return failed(`not healthy after ${timeout} s: ${bad.join('; ')}`);
  },
};

export default health;
