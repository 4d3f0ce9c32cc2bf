// `lab status`: per member, what an operator would check by hand — is the host up (sshd), is
// etcd running, is it healthy (has a leader, answers a quorum read), is it the leader, how
// many keys and which revision / applied raft index its own store holds. Read from the
// member's metrics listener, which answers without quorum; etcdctl when that is not there
// (a playbook rewrote etcd.env without it).
import { endpointHealth, endpointStatus, keyCount, type CtlTarget } from './ctl.js';
import { tcpOpen } from './hosts.js';
import { etcdPid } from './members.js';
import { memberMetrics } from './metrics.js';
import type { LabMember, LabRecord, LabStatus, MemberStatus } from './model.js';

export function ctlTarget(r: LabRecord, names?: readonly string[]): CtlTarget {
  const members = names ? r.members.filter((m) => names.includes(m.name)) : r.members;
  return { endpoints: members.map((m) => m.clientUrl), tls: r.tlsFiles };
}

/** Members whose etcd process is alive (healthy or not). */
export async function runningMembers(r: LabRecord): Promise<string[]> {
  const pids = await Promise.all(r.members.map((m) => etcdPid(m)));
  return r.members.filter((_, i) => pids[i] !== undefined).map((m) => m.name);
}

type Running = Omit<MemberStatus, 'name' | 'address' | 'sshd' | 'etcd'>;

async function fromEtcdctl(r: LabRecord, m: LabMember): Promise<Running> {
  const target = ctlTarget(r, [m.name]);
  const [[health], [status], keys] = await Promise.all([endpointHealth(target), endpointStatus(target), keyCount(target)]);
  const healthy = health?.healthy ?? false;
  return {
    healthy,
    leader: healthy && !!status && status.leaderId === status.memberId,
    ...(keys !== undefined ? { keys } : {}),
    ...(status ? { revision: status.revision, appliedIndex: status.raftIndex, dbSize: status.dbSize } : {}),
    ...(healthy ? {} : { error: `${health?.error ?? 'unhealthy'}${status ? '' : ' (its client port does not answer)'}` }),
  };
}

async function runningStatus(r: LabRecord, m: LabMember): Promise<Running> {
  const x = await memberMetrics(m.metricsUrl);
  if (!x) return fromEtcdctl(r, m);
  return {
    healthy: x.healthy,
    leader: x.isLeader && x.healthy,
    keys: x.keys,
    revision: x.revision,
    appliedIndex: x.appliedIndex,
    dbSize: x.dbSize,
    ...(x.healthy ? {} : { error: x.hasLeader ? 'has a leader but no quorum read' : 'no leader' }),
  };
}

export async function labStatus(r: LabRecord): Promise<LabStatus> {
  const [sshd, running] = await Promise.all([Promise.all(r.members.map((m) => tcpOpen(m.address, m.sshPort, 1_000))), runningMembers(r)]);
  const members = await Promise.all(
    r.members.map(async (m, i): Promise<MemberStatus> => {
      const base = { name: m.name, address: m.address, sshd: sshd[i] ?? false };
      if (!running.includes(m.name)) return { ...base, etcd: 'stopped', healthy: false, leader: false };
      return { ...base, etcd: 'running', ...(await runningStatus(r, m)) };
    }),
  );
  const leader = members.find((m) => m.leader)?.name;
  return { members, quorum: members.some((m) => m.healthy), ...(leader ? { leader } : {}) };
}
