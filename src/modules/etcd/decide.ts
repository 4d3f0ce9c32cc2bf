// What a disaster-recovery run must do, from every reachable member's facts: nothing (healthy,
// complete), rejoin the members that are missing, or recover from the newest data. Pure: the
// etcd_recovery_plan module feeds it facts and the clock; unit-tested case by case.
import type { MemberFacts, RecoveryRecord, Strategy } from './facts-model.js';
import { describeLoss, lossOf, newestOf, revisionOf, type Loss, type Newest } from './data-loss.js';
import { noV2 } from './env-flags.js';
import { memberVersion, olderMembers } from './versions.js';

export interface DecideInput {
  /** reachable members, in inventory order */
  readonly members: readonly MemberFacts[];
  /** members of the group that could not be reached */
  readonly unreachable: readonly string[];
  /** operator's choice (-e etcd_survivor=NAME): inventory or etcd name */
  readonly force?: string | undefined;
  /** etcd_dr_strategy when given */
  readonly strategy?: Strategy | undefined;
  /** etcd_v2_data: true in the inventory */
  readonly v2Data?: boolean;
  /** etcd_allow_v2_loss: true */
  readonly allowV2Loss?: boolean;
  /** etcd_accept_data_loss: true — a forced survivor behind the newest member is accepted */
  readonly acceptDataLoss?: boolean;
  readonly now: Date;
}

export interface CandidateRow {
  readonly host: string;
  readonly name: string;
  readonly state: string;
  /** the etcd it runs (a rolling upgrade may leave members on different versions) */
  readonly version: string;
  readonly revision: number | null;
  readonly raft_term: number | null;
  readonly raft_index: number | null;
  /** keys, when the member could count them */
  readonly key_count: number | null;
  readonly source: string;
}

interface Common {
  readonly reason: string;
  readonly table: readonly CandidateRow[];
  readonly unreachable: readonly string[];
}

export type Decision =
  | (Common & { readonly action: 'none'; readonly cluster_id: string; readonly record?: RecoveryRecord })
  | (Common & {
      readonly action: 'rejoin';
      readonly survivor: string;
      readonly join: readonly string[];
      readonly cluster_id: string;
      readonly record?: RecoveryRecord;
    })
  | (Common & {
      readonly action: 'recover';
      readonly survivor: string;
      readonly join: readonly string[];
      readonly record: RecoveryRecord;
      readonly continuing: boolean;
      readonly strategy: Strategy;
      readonly strategy_reason: string;
      /** the newest data seen on a reachable member */
      readonly newest?: Newest;
      /** what recovering from this survivor gives up (accepted with etcd_accept_data_loss) */
      readonly loss?: Loss;
    })
  | (Common & { readonly action: 'refuse' });

function stateOf(m: MemberFacts): string {
  if (m.healthy) return 'healthy';
  if (m.serving) return 'running without quorum';
  if (!m.data.exists) return 'not serving, no data dir';
  if (!m.data.db) return 'not serving, no db';
  return 'not serving';
}

export function candidateTable(members: readonly MemberFacts[]): CandidateRow[] {
  return members.map((m) => ({
    host: m.host,
    name: m.name,
    state: stateOf(m),
    version: memberVersion(m),
    revision: revisionOf(m) ?? null,
    // a stopped member's position from its WAL (etcd_facts' wal): what it really holds
    raft_term: m.status?.raft_term ?? m.wal?.last_term ?? null,
    raft_index: m.status?.raft_index ?? m.wal?.last_index ?? null,
    key_count: m.key_count ?? null,
    source: m.status ? 'endpoint status' : m.data.db ? (m.data.error ? `db unreadable: ${m.data.error}` : replayedSource(m)) : 'none',
  }));
}

function replayedSource(m: MemberFacts): string {
  const rp = m.data.replayed;
  if (rp?.revision !== undefined) return `WAL replayed (db alone: revision ${m.data.revision})`;
  return rp?.error ? `copy of member/snap/db (WAL not replayed: ${rp.error})` : 'copy of member/snap/db';
}

/**
 * A stopped survivor whose WAL could not be replayed: what saving a copy of its db gives up (the
 * entries its WAL holds beyond the db; how many is unknown without the replay).
 */
export function walNotReplayed(m: MemberFacts): string | undefined {
  if (m.status || !m.wal || m.wal.error || !m.wal.last_index || m.data.replayed?.revision !== undefined) return undefined;
  const why = m.data.replayed?.error ?? 'the replay is turned off (etcd_replay_wal=false)';
  return `${m.host} is stopped and its WAL was not replayed (${why}): a copy of its db (revision ${m.data.revision}) gives up every entry its WAL holds beyond the db (the WAL reaches raft index ${m.wal.last_index}, commit ${m.wal.commit ?? '?'}; how many revisions that is, only the replay can tell)`;
}

/** Newest data first; ties to the higher raft term, then index, then inventory order. */
export function rankSurvivors(members: readonly MemberFacts[]): MemberFacts[] {
  const withData = members.map((m, i) => ({ m, i, rev: revisionOf(m) })).filter((x) => x.rev !== undefined && !x.m.data.error);
  withData.sort(
    (a, b) =>
      b.rev! - a.rev! ||
      (b.m.status?.raft_term ?? 0) - (a.m.status?.raft_term ?? 0) ||
      (b.m.status?.raft_index ?? 0) - (a.m.status?.raft_index ?? 0) ||
      a.i - b.i,
  );
  return withData.map((x) => x.m);
}

function healthyCluster(members: readonly MemberFacts[]): { clusterId: string; healthy: MemberFacts[] } | undefined {
  const healthy = members.filter((m) => m.healthy && m.status);
  if (healthy.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const m of healthy) counts.set(m.status!.cluster_id, (counts.get(m.status!.cluster_id) ?? 0) + 1);
  const clusterId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  return { clusterId, healthy: healthy.filter((m) => m.status!.cluster_id === clusterId) };
}

/** A member is in the cluster when it is healthy, in its cluster, and a voting member. */
function joined(m: MemberFacts, clusterId: string, view: MemberFacts): boolean {
  if (!m.healthy || m.status?.cluster_id !== clusterId) return false;
  const entry = view.members?.find((x) => x.peer_urls.includes(m.peer_url));
  return entry !== undefined && !entry.is_learner && entry.name === m.name;
}

function latestRecord(members: readonly MemberFacts[]): RecoveryRecord | undefined {
  const records = members.map((m) => m.record).filter((r): r is RecoveryRecord => r !== undefined && r.state === 'in-progress');
  return records.sort((a, b) => b.started.localeCompare(a.started))[0];
}

/**
 * Whether members that could not be reached may hold data newer than every member read: a
 * write is committed on a majority of the members, so the members whose data was read hold
 * every committed write only when they are more than the others (readable + majority > all).
 * Members that were reached and hold no data lost it; only the unreachable ones may still have it.
 */
function unseenData(i: DecideInput, readable: number, survivor: MemberFacts): string | undefined {
  if (i.unreachable.length === 0) return undefined;
  const total = i.members.length + i.unreachable.length;
  const majority = Math.floor(total / 2) + 1;
  if (readable + majority > total) return undefined;
  const rev = revisionOf(survivor);
  return `${i.unreachable.join(', ')} could not be reached and may hold newer data than ${survivor.host}${rev !== undefined ? ` (revision ${rev})` : ''}: the data of only ${readable} of ${total} members could be read, and a write is committed on ${majority}`;
}

export function recoveryId(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function chooseStrategy(i: DecideInput, survivor?: MemberFacts): { strategy: Strategy; why: string } | { refuse: string } {
  const v2asked = i.v2Data === true || i.members.some((m) => m.v2_enabled);
  const v2why = i.v2Data
    ? 'etcd_v2_data is set'
    : 'v2 enabled in its configuration: ETCD_ENABLE_V2=true in the env file or --enable-v2 in the manifest';
  // 3.6 has no v2 store (it refuses to start on one holding keys): nothing v2 to keep, and
  // force-new-cluster keeps only v3 keys there like a snapshot does
  const on36 = survivor !== undefined && noV2(memberVersion(survivor));
  const gone = on36
    ? `v2 is gone in etcd 3.6 (${survivor.host} runs ${memberVersion(survivor)}, which has no v2 store: no v2 keys to keep, although ${v2why})`
    : '';
  const v2 = v2asked && !on36;
  if (i.strategy) {
    if (v2 && i.strategy !== 'force-new-cluster' && !i.allowV2Loss) {
      return {
        refuse: `strategy ${i.strategy} would lose every v2 key (${v2why}): use force-new-cluster, or set etcd_allow_v2_loss=true to accept the loss`,
      };
    }
    const v36 =
      v2asked && on36
        ? `; ${gone}${i.strategy === 'force-new-cluster' ? ': it keeps the v3 keys only, as a snapshot restore does' : ''}`
        : '';
    return { strategy: i.strategy, why: `asked for (etcd_dr_strategy)${v36}` };
  }
  if (v2)
    return { strategy: 'force-new-cluster', why: `the default when v2 data may exist (${v2why}): a snapshot restore keeps only v3 keys` };
  if (v2asked && on36)
    return { strategy: 'rejoin', why: `the default: ${gone}; restore the survivor, then rejoin the others one at a time` };
  return { strategy: 'rejoin', why: 'the default: restore the survivor, then rejoin the others one at a time' };
}

export function decide(i: DecideInput): Decision {
  const table = candidateTable(i.members);
  const common = { table, unreachable: i.unreachable };
  if (i.members.length === 0) return { ...common, action: 'refuse', reason: 'no etcd member could be reached' };
  const record = latestRecord(i.members);
  const cluster = healthyCluster(i.members);
  if (cluster) {
    const view = cluster.healthy.find((m) => m.status!.member_id === m.status!.leader) ?? cluster.healthy[0]!;
    const missing = i.members.filter((m) => !joined(m, cluster.clusterId, view));
    const rec = record ? { record } : {};
    if (missing.length === 0) {
      return {
        ...common,
        ...rec,
        action: 'none',
        cluster_id: cluster.clusterId,
        reason: `the cluster has quorum and all ${i.members.length} reachable members`,
      };
    }
    return {
      ...common,
      ...rec,
      action: 'rejoin',
      cluster_id: cluster.clusterId,
      survivor: view.host,
      join: missing.map((m) => m.host),
      reason: `the cluster has quorum (${cluster.healthy.length} healthy); ${missing.map((m) => m.host).join(', ')} must (re)join`,
    };
  }
  // the v2 question depends on the version of the member recovered from (3.6 has no v2 store)
  const candidate = i.force ? i.members.find((m) => m.host === i.force || m.name === i.force) : rankSurvivors(i.members)[0];
  const strat = chooseStrategy(i, candidate);
  if ('refuse' in strat) return { ...common, action: 'refuse', reason: strat.refuse };
  if (record && !i.force) {
    const survivor = i.members.find((m) => m.host === record.survivor);
    if (!survivor) {
      return {
        ...common,
        action: 'refuse',
        reason: `recovery ${record.id} is in progress with survivor ${record.survivor}, which cannot be reached: bring it back, or choose another survivor with -e etcd_survivor=NAME`,
      };
    }
    return {
      ...common,
      action: 'recover',
      continuing: true,
      survivor: survivor.host,
      record,
      strategy: record.strategy,
      strategy_reason: 'continuing the recovery in progress',
      join: record.strategy === 'restore-all' ? [] : i.members.filter((m) => m.host !== survivor.host).map((m) => m.host),
      reason: `continuing recovery ${record.id} (started ${record.started}) with survivor ${survivor.host}`,
    };
  }
  let survivor: MemberFacts | undefined;
  let why: string;
  const ranked = rankSurvivors(i.members);
  if (i.force) {
    survivor = i.members.find((m) => m.host === i.force || m.name === i.force);
    if (!survivor)
      return {
        ...common,
        action: 'refuse',
        reason: `etcd_survivor=${i.force} is not a reachable member (reachable: ${i.members.map((m) => m.host).join(', ')})`,
      };
    if (revisionOf(survivor) === undefined)
      return { ...common, action: 'refuse', reason: `etcd_survivor=${i.force} has no data to recover from (${stateOf(survivor)})` };
    const behind = lossOf(survivor, newestOf(i.members));
    if (behind && !i.acceptDataLoss) {
      return {
        ...common,
        action: 'refuse',
        reason: `etcd_survivor=${i.force}: ${describeLoss(behind, 'would be')}. Drop etcd_survivor to recover from ${behind.newest.hosts[0]}, or accept the loss with -e etcd_accept_data_loss=true`,
      };
    }
    why = `${survivor.host} was chosen by the operator (etcd_survivor)${behind ? `, ${behind.revisions} revisions behind the newest (loss accepted)` : ''}`;
  } else {
    survivor = ranked[0];
    if (!survivor)
      return { ...common, action: 'refuse', reason: 'no reachable member has data to recover from: refusing to build an empty cluster' };
    const others = ranked.slice(1).map((m) => `${m.host} ${revisionOf(m)}`);
    why = `${survivor.host} has the newest data: revision ${revisionOf(survivor)}${others.length ? ` (${others.join(', ')})` : ''}`;
  }
  const unseen = unseenData(i, ranked.length, survivor);
  if (unseen && !i.acceptDataLoss)
    return {
      ...common,
      action: 'refuse',
      reason: `${unseen}. Bring them (or their SSH) back and run again, or accept the loss with -e etcd_accept_data_loss=true`,
    };
  if (unseen) why += `; ${i.unreachable.join(', ')} could not be read (loss accepted: unknown how much)`;
  const older = olderMembers(survivor, i.members);
  if (older) return { ...common, action: 'refuse', reason: older };
  const walLoss = walNotReplayed(survivor);
  if (walLoss && !i.acceptDataLoss)
    return {
      ...common,
      action: 'refuse',
      reason: `${walLoss}. Make the replay work (etcd_path: the member's etcd binary) and run again, or accept the loss with -e etcd_accept_data_loss=true`,
    };
  const id = recoveryId(i.now);
  const members = strat.strategy === 'restore-all' ? i.members.map((m) => m.host) : [survivor.host];
  const newest = newestOf(i.members);
  const loss = lossOf(survivor, newest);
  const survivorRevision = revisionOf(survivor);
  const newRecord: RecoveryRecord = {
    id,
    started: i.now.toISOString(),
    strategy: strat.strategy,
    survivor: survivor.host,
    token: `etcd-recovery-${id}`,
    snapshot: `${survivor.backup_dir.replace(/\/+$/, '')}/etcd-${id}.db`,
    members,
    state: 'in-progress',
    // what verify holds the recovered cluster to: the newest data seen anywhere before it
    ...(newest
      ? { newest_revision: newest.revision, ...(newest.key_count !== undefined ? { newest_key_count: newest.key_count } : {}) }
      : {}),
    ...(survivorRevision !== undefined ? { survivor_revision: survivorRevision } : {}),
    ...(survivor.key_count !== undefined ? { survivor_key_count: survivor.key_count } : {}),
    ...(loss
      ? {
          accepted_loss: {
            revisions: loss.revisions,
            from_revision: loss.survivor_revision,
            newest_revision: loss.newest.revision,
            newest_hosts: loss.newest.hosts,
          },
        }
      : {}),
    ...(walLoss ? { wal_not_replayed: walLoss } : {}),
  };
  return {
    ...common,
    action: 'recover',
    continuing: false,
    survivor: survivor.host,
    record: newRecord,
    strategy: strat.strategy,
    strategy_reason: strat.why,
    ...(newest ? { newest } : {}),
    ...(loss ? { loss } : {}),
    // restore-all restores every member itself; the others join one at a time
    join: strat.strategy === 'restore-all' ? [] : i.members.filter((m) => m.host !== survivor!.host).map((m) => m.host),
    reason: why,
  };
}
