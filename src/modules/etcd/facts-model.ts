// What etcd_facts reports about one member (as the playbook sees it: snake_case), and the
// recovery record kept on the hosts while a recovery is in progress.
import type { EnvFlags } from './env-flags.js';

export interface RecoveryRecord {
  /** recovery id: names the snapshot, the token and the moved-aside data dirs */
  readonly id: string;
  readonly started: string;
  readonly strategy: Strategy;
  /** inventory name of the survivor */
  readonly survivor: string;
  readonly token: string;
  /** snapshot path on the survivor */
  readonly snapshot: string;
  /** inventory names of the members of the new cluster */
  readonly members: readonly string[];
  readonly state: 'in-progress' | 'complete';
  /** the highest revision any reachable member had when the recovery was decided */
  readonly newest_revision?: number;
  /** the key count of a member at that revision, when one could be read */
  readonly newest_key_count?: number;
  /** the survivor's revision and key count (when readable) when the recovery was decided */
  readonly survivor_revision?: number;
  readonly survivor_key_count?: number;
  /** the operator accepted recovering from older data (etcd_accept_data_loss): what was given up */
  readonly accepted_loss?: {
    readonly revisions: number;
    readonly from_revision: number;
    readonly newest_revision: number;
    readonly newest_hosts: readonly string[];
  };
  /** the survivor's WAL could not be replayed and the operator accepted saving its db alone: what that gives up */
  readonly wal_not_replayed?: string;
}

export type Strategy = 'rejoin' | 'restore-all' | 'force-new-cluster';

export interface MemberFacts {
  /** inventory host name */
  readonly host: string;
  /** etcd member name */
  readonly name: string;
  readonly client_url: string;
  readonly peer_url: string;
  /** where snapshots and the recovery record live on this host */
  readonly backup_dir: string;
  /** the member answered `endpoint status` (it runs, with or without quorum) */
  readonly serving: boolean;
  /** `endpoint health` passed: it runs and its cluster has quorum */
  readonly healthy: boolean;
  readonly status?: {
    readonly cluster_id: string;
    readonly member_id: string;
    readonly leader: string;
    readonly revision: number;
    readonly raft_term: number;
    readonly raft_index: number;
    readonly version: string;
  };
  /** membership as this member sees it (only with quorum) */
  readonly members?: readonly { id: string; name: string; peer_urls: readonly string[]; is_learner: boolean }[];
  /** number of keys: with quorum, or a serializable count of its own store when it runs without */
  readonly key_count?: number;
  /** number of v2 keys (only with quorum and v2 enabled) */
  readonly v2_key_count?: number;
  /** the data dir on disk */
  readonly data: {
    readonly exists: boolean;
    readonly db: boolean;
    /** from `snapshot status` of a copy of member/snap/db (stopped members) */
    readonly revision?: number;
    readonly error?: string;
    /**
     * A stopped member's data as etcd yields it once its WAL is replayed (replay.ts: a copy
     * started with --force-new-cluster in a scratch dir): its WAL may hold entries the db lacks.
     */
    readonly replayed?: { readonly revision?: number; readonly raft_index?: number; readonly key_count?: number; readonly error?: string };
    /** where the member's own configuration says etcd reads its data (env file, unit, process) */
    readonly configured?: readonly { readonly dir: string; readonly from: string }[];
    /** set when the configuration disagrees with data_dir: nothing may be done with this member */
    readonly refused?: string;
  };
  readonly record?: RecoveryRecord;
  /**
   * The version of the member's etcd tools (etcdctl_path), e.g. "3.4.23": the etcd of its host
   * as far as a stopped member can tell (a serving one says its own: status.version).
   */
  readonly version: string;
  /** v2 API enabled in the env file (ETCD_ENABLE_V2=true) */
  readonly v2_enabled: boolean;
  /**
   * A stopped member's raft position as its WAL holds it (wal.ts): the last entry's term and
   * index, the last hard state's commit, the newest raft snapshot index. Absent for a member
   * that serves (its endpoint status says it) or has no WAL.
   */
  readonly wal?: {
    readonly segment: string;
    readonly last_term?: number;
    readonly last_index?: number;
    readonly hard_term?: number;
    readonly commit?: number;
    readonly snap_index?: number;
    /** the last record was cut short (power loss mid-write): etcd drops it at start */
    readonly torn?: boolean;
    readonly error?: string;
  };
  /** what the env file sets that a recovery must know (when env_file was given and readable) */
  readonly env_flags?: EnvFlags;
}
