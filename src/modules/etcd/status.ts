// etcd_status: one member's health as an operator checks it (changes nothing): serving?
// healthy? version, db size, leader, raft index, cluster ID, alarms (NOSPACE, CORRUPT), and
// the days left on its TLS certificate when it has one. Sets the fact `etcd_status`.
import type { EtcdStatusArgs } from '../generated/args.js';
import { ok } from '../../core/result.js';
import type { Module, ModuleContext } from '../types.js';
import { ctl, endpointHealth, endpointHealthPatient, endpointStatus, endpointStatusPatient, type EtcdTools } from './etcdctl.js';
import { tryEtcdTools, listening, run } from './host.js';
import { parseEndpointStatus, parseHealth } from './parse.js';

export interface MemberStatus {
  readonly host: string;
  readonly name: string;
  readonly serving: boolean;
  readonly healthy: boolean;
  readonly version?: string;
  readonly db_size?: number;
  readonly is_leader?: boolean;
  readonly raft_index?: number;
  /** the raft term it answered in: one leader a term, so two readings with one term saw one leader */
  readonly raft_term?: number;
  readonly cluster_id?: string;
  readonly alarms: readonly string[];
  readonly cert_days_left?: number;
  readonly error?: string;
}

async function alarms(ctx: ModuleContext, t: EtcdTools, url: string): Promise<string[]> {
  const r = await run(ctx, ctl(t, [url], 'alarm', 'list'));
  if (r.rc !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => /alarm:(\w+)/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined && x !== 'NONE');
}

/** Days until the certificate expires (negative: expired), read with openssl on the host. */
async function certDaysLeft(ctx: ModuleContext, cert: string): Promise<number | undefined> {
  const r = await run(ctx, ['openssl', 'x509', '-enddate', '-noout', '-in', cert]);
  const m = /notAfter=(.+)$/m.exec(r.stdout);
  if (r.rc !== 0 || !m) return undefined;
  const end = Date.parse(m[1]!.trim());
  return Number.isNaN(end) ? undefined : Math.floor((end - Date.now()) / 86_400_000);
}

const status: Module<EtcdStatusArgs, never> = {
  name: 'etcd_status',
  readOnly: true,
  async check(ctx, args) {
    const got = await tryEtcdTools(ctx, args);
    if (!got.ok) return { kind: 'failed', result: got.result };
    const t = got.tools;
    const url = args.client_url;
    const out: { -readonly [K in keyof MemberStatus]: MemberStatus[K] } = {
      host: ctx.host,
      name: args.name,
      serving: false,
      healthy: false,
      alarms: [],
    };
    // a member that listens but misses the quick probe is asked again with etcdctl's usual
    // timeouts: a playbook decides on this (scale.yml refuses without a healthy member)
    let st = (await listening(ctx, url)) ? await run(ctx, endpointStatus(t, url)) : undefined;
    if (st && st.rc !== 0) st = await run(ctx, endpointStatusPatient(t, url));
    if (st && st.rc === 0) {
      const s = parseEndpointStatus(st.stdout);
      Object.assign(out, {
        serving: true,
        version: s.version,
        db_size: s.dbSize,
        is_leader: s.leader === s.memberId,
        raft_index: s.raftIndex,
        raft_term: s.raftTerm,
        cluster_id: s.clusterId,
      });
      let h = await run(ctx, endpointHealth(t, url));
      if (h.rc !== 0) h = await run(ctx, endpointHealthPatient(t, url));
      out.healthy = h.rc === 0 && parseHealth(h.stdout).healthy;
      out.alarms = await alarms(ctx, t, url);
    } else {
      out.error = st ? 'does not answer' : 'nothing listens on its client port';
    }
    const cert = args.server_cert ?? args.cert;
    if (cert) {
      const days = await certDaysLeft(ctx, cert);
      if (days !== undefined) out.cert_days_left = days;
    }
    const msg = out.healthy
      ? `${out.name}: healthy${out.is_leader ? ', leader' : ''}, ${out.version}, raft index ${out.raft_index}`
      : `${out.name}: ${out.serving ? 'serving, not healthy' : out.error}`;
    return { kind: 'unchanged', result: ok({ msg, ansible_facts: { etcd_status: out } }) };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default status;
