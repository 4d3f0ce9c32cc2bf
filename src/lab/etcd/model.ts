// The rehearsal lab's vocabulary: what `lab up` builds (members on loopback addresses, each
// with its own sshd and etcd), what lab.json records so any later process can act on it, and
// the typed answers of status / verify / break.

export const LAB_DEFAULTS = {
  dir: '/var/tmp/runbook-lab',
  inventoryDir: 'inventories/lab',
  members: 3,
  net: 60,
  sshPort: 2222,
  clientPort: 2379,
  peerPort: 2380,
} as const;
export const MAX_MEMBERS = 9;

export const SERVICE_MANAGERS = ['script', 'static-pod'] as const;
export type LabServiceManager = (typeof SERVICE_MANAGERS)[number];

export interface LabOptions {
  /** lab directory (default /var/tmp/runbook-lab) */
  readonly dir?: string;
  /** 1..9 members (default 3) */
  readonly members?: number;
  /** members live on 127.0.<net>.<i> (default 60) */
  readonly net?: number;
  /** https everywhere with a lab CA, client certificate authentication */
  readonly tls?: boolean;
  /** ETCD_ENABLE_V2=true; `load` also writes v2 keys */
  readonly v2?: boolean;
  /** ETCD_QUOTA_BACKEND_BYTES of every member (a small one rehearses NOSPACE) */
  readonly quotaBackendBytes?: number;
  /** where the inventory is written (default inventories/lab, relative to cwd) */
  readonly inventoryDir?: string;
  /** resolves a relative inventoryDir (default: the process's working directory) */
  readonly cwd?: string;
  /** apt-get install the missing Debian packages instead of refusing */
  readonly installDeps?: boolean;
  /** 3.4 (the machine's /usr/bin), a fetched release (3.5.16, 3.5.30), or one per member: 3.4,3.5.16,3.5.16 */
  readonly etcdVersion?: string;
  /** a directory holding etcd, etcdctl (and etcdutl): every member runs these */
  readonly etcdBinDir?: string;
  /** script (default: each member's etcd-service sh script, etcd_service_manager command) or
   * static-pod (kubeadm's layout: a manifest per member run by the lab's kubelet stand-in) */
  readonly serviceManager?: LabServiceManager;
  /** how long to wait for a healthy cluster (default 30 s + 2 s a member) */
  readonly healthTimeoutMs?: number;
}

/** TLS material shared by the lab: the CA and a client certificate for etcdctl / the client. */
export interface LabTls {
  readonly caFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

/** The etcd binaries a member runs (real paths: the service script compares /proc/<pid>/exe). */
export interface LabEtcd {
  /** what etcd --version says: 3.4.23, 3.5.16… ("3.4" in lab.json files from before versions) */
  readonly version: string;
  readonly bin: string;
  readonly etcdctl: string;
  /** absent before 3.5 */
  readonly etcdutl?: string;
}

export interface LabMember {
  /** etcd<i> */
  readonly name: string;
  readonly index: number;
  /** 127.0.<net>.<i> */
  readonly address: string;
  readonly sshPort: number;
  readonly clientUrl: string;
  readonly peerUrl: string;
  /** plain-http metrics listener (:2381): /metrics and /health, answered even without quorum */
  readonly metricsUrl: string;
  /** <labdir>/etcd<i> */
  readonly dir: string;
  readonly dataDir: string;
  /** ETCD_* KEY=VALUE, read at every start */
  readonly envFile: string;
  /** POSIX sh: start | stop | status | restart */
  readonly serviceScript: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly backupDir: string;
  readonly sshdConfigFile: string;
  readonly sshdPidFile: string;
  readonly sshdLogFile: string;
  /** the etcd it runs (absent in lab.json from before versions: /usr/bin's) */
  readonly etcd?: LabEtcd;
  /** static-pod labs: the member's manifest in its manifests directory (the kubelet stand-in watches it) */
  readonly manifest?: string;
  readonly kubeletPidFile?: string;
  /** this member's server + peer certificate (with --tls) */
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** What lab.json holds. */
export interface LabRecord {
  readonly version: 1;
  readonly dir: string;
  readonly net: number;
  readonly tls: boolean;
  readonly v2: boolean;
  /** static-pod when the members run under the kubelet stand-in (absent: script) */
  readonly serviceManager?: 'static-pod';
  /** ETCD_QUOTA_BACKEND_BYTES when the lab was started with one */
  readonly quotaBackendBytes?: number;
  readonly clusterToken: string;
  readonly inventoryDir: string;
  /** the one client key authorized on every member's sshd */
  readonly sshClientKeyFile: string;
  readonly knownHostsFile: string;
  readonly tlsFiles?: LabTls;
  readonly members: readonly LabMember[];
  readonly createdAt: string;
  /** pids when `lab up` finished (informational: the pid files are the truth) */
  readonly pidsAtUp?: Readonly<Record<string, { readonly etcd?: number; readonly sshd?: number }>>;
  /** keys written by `load` (and by break stale-member); verify expects exactly these */
  readonly loaded?: { readonly keys: number; readonly v2Keys: number };
  /** the last break scenario applied */
  readonly broken?: BreakResult;
}

export const SCENARIOS = ['quorum-loss', 'stale-member', 'dead-hosts', 'one-bad-member'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BreakOptions {
  /** quorum-loss: the member whose data survives (default: the last member) */
  readonly survivor?: string;
}

/** The state a scenario leaves: every member appears in exactly the lists that apply. */
export interface BreakResult {
  readonly scenario: Scenario;
  /** one line: what was done */
  readonly summary: string;
  /** etcd running afterwards */
  readonly running: readonly string[];
  /** etcd stopped afterwards */
  readonly stopped: readonly string[];
  /** data dir removed */
  readonly wiped: readonly string[];
  /** data dir present but unusable */
  readonly corrupted: readonly string[];
  /** sshd and etcd down: unreachable */
  readonly deadHosts: readonly string[];
  /** the member a recovery must restore from, when there is exactly one right answer */
  readonly recoverFrom?: readonly string[];
  /** keys the lab now expects (load + those written by the scenario) */
  readonly expectedKeys: number;
}

export interface MemberStatus {
  readonly name: string;
  readonly address: string;
  readonly sshd: boolean;
  readonly etcd: 'running' | 'stopped';
  readonly healthy: boolean;
  readonly leader: boolean;
  /** keys in the member's own store (serializable read: works without quorum) */
  readonly keys?: number;
  readonly revision?: number;
  /** raft index applied to the member's store */
  readonly appliedIndex?: number;
  readonly dbSize?: number;
  /** why health/status could not be read, one line */
  readonly error?: string;
}

export interface LabStatus {
  readonly members: readonly MemberStatus[];
  /** at least one member answers a linearizable read */
  readonly quorum: boolean;
  readonly leader?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** keys expected (from lab.json: the last load, plus keys a scenario wrote) */
  readonly expected: number;
  /** expected keys found with their exact value */
  readonly found: number;
  /** missing keys (at most 20 listed; see missingCount) */
  readonly missing: readonly string[];
  readonly missingCount: number;
  /** keys present with another value (at most 20 listed) */
  readonly wrong: readonly string[];
  readonly wrongCount: number;
  /** the sentinel's value, when readable */
  readonly sentinel?: string;
  readonly sentinelOk: boolean;
  readonly v2?: { readonly expected: number; readonly found: number; readonly missing: readonly string[]; readonly missingCount: number };
  /** could not read at all (no quorum, no endpoint), one line */
  readonly error?: string;
}

export interface LoadResult {
  readonly keys: number;
  readonly v2Keys: number;
  readonly ms: number;
}

export interface DownResult {
  /** pids that were stopped (etcd, sshd, leftovers) */
  readonly stopped: readonly number[];
  readonly removed: readonly string[];
}

export { LabError, type LabErrorReason } from '../sshd.js';
