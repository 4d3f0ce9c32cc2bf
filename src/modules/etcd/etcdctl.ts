// etcdctl / etcdutl command lines for one member, by etcd version: pure, no I/O (unit-tested
// for 3.4, 3.5 and 3.6; run for real on 3.4.23, 3.5.16 and 3.5.30). 3.4 does file work
// (snapshot status/restore) with etcdctl; 3.5 moved it to etcdutl (etcdctl's copy
// deprecated); 3.6 removed it from etcdctl, and removed the v2 API (no v2 listing there).

export interface EtcdTls {
  readonly cacert?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

export interface EtcdTools {
  /** major.minor of the installed etcdctl, e.g. [3, 4] */
  readonly version: readonly [number, number];
  /** the full release, e.g. "3.5.30" (when etcdctl said it) */
  readonly release?: string | undefined;
  readonly etcdctl: string;
  readonly etcdutl: string;
  readonly tls?: EtcdTls | undefined;
}

export interface RestoreSpec {
  readonly snapshot: string;
  readonly name: string;
  readonly peerUrl: string;
  /** name=peer,name=peer */
  readonly initialCluster: string;
  readonly token: string;
  readonly dataDir: string;
  /** a copied member/snap/db has no snapshot integrity hash */
  readonly skipHashCheck: boolean;
  /**
   * Kubernetes-safe restore (etcdutl only, when its --help lists them): revisions raised by
   * this much and marked compacted, so watchers (kube-apiserver, informers) re-list instead
   * of resuming from a revision the restored store reuses for other data.
   */
  readonly bumpRevision?: number | undefined;
}

/** `etcdctl version` → [major, minor]; undefined when it does not look like etcdctl. */
export function parseVersion(text: string): [number, number] | undefined {
  const m = /etcdctl version:\s*(\d+)\.(\d+)/i.exec(text) ?? /^(\d+)\.(\d+)\.\d+/m.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** `etcdctl version` → "3.5.30" */
export function parseRelease(text: string): string | undefined {
  return (/etcdctl version:\s*(\d+\.\d+\.\d+)/i.exec(text) ?? /^(\d+\.\d+\.\d+)/m.exec(text))?.[1];
}

export function atLeast(t: EtcdTools, major: number, minor: number): boolean {
  return t.version[0] > major || (t.version[0] === major && t.version[1] >= minor);
}

/** The tool that reads and restores snapshot files for this version. */
export function fileTool(t: EtcdTools): 'etcdctl' | 'etcdutl' {
  return atLeast(t, 3, 5) ? 'etcdutl' : 'etcdctl';
}

function tlsFlags(t: EtcdTools): string[] {
  const out: string[] = [];
  if (t.tls?.cacert) out.push(`--cacert=${t.tls.cacert}`);
  if (t.tls?.cert) out.push(`--cert=${t.tls.cert}`);
  if (t.tls?.key) out.push(`--key=${t.tls.key}`);
  return out;
}

/** An etcdctl call against endpoints (client URLs); every word one argv item. */
export function ctl(t: EtcdTools, endpoints: readonly string[], ...args: string[]): string[] {
  return [t.etcdctl, `--endpoints=${endpoints.join(',')}`, ...tlsFlags(t), '--dial-timeout=2s', '--command-timeout=5s', ...args];
}

/**
 * Probes of one member, run on its own host: a stopped member costs the dial timeout and one
 * that accepts connections but is not ready the command timeout, so both are short
 * (`quick`: 1 s, for wait loops that probe again anyway).
 */
function probe(t: EtcdTools, endpoint: string, quick: boolean, ...args: string[]): string[] {
  return [t.etcdctl, `--endpoints=${endpoint}`, ...tlsFlags(t), '--dial-timeout=1s', `--command-timeout=${quick ? 1 : 2}s`, ...args];
}

export const endpointStatus = (t: EtcdTools, endpoint: string, quick = false): string[] =>
  probe(t, endpoint, quick, 'endpoint', 'status', '-w', 'json');
export const endpointHealth = (t: EtcdTools, endpoint: string, quick = false): string[] =>
  probe(t, endpoint, quick, 'endpoint', 'health', '-w', 'json');
/**
 * The same probes with etcdctl's usual timeouts, for a member that listens but did not answer a
 * quick probe: a busy or briefly paused member is slow, not gone, and a decision (move its data
 * aside, refuse a removal) must not rest on a 1 s timeout.
 */
export const endpointStatusPatient = (t: EtcdTools, endpoint: string): string[] => ctl(t, [endpoint], 'endpoint', 'status', '-w', 'json');
export const endpointHealthPatient = (t: EtcdTools, endpoint: string): string[] => ctl(t, [endpoint], 'endpoint', 'health', '-w', 'json');
export const memberList = (t: EtcdTools, endpoints: readonly string[]): string[] => ctl(t, endpoints, 'member', 'list', '-w', 'json');
/** the number of keys comes back as `count` (3.4 has no --count-only) */
/** `serializable`: the member's own store, answered without quorum (a member running alone) */
export const keyCount = (t: EtcdTools, endpoints: readonly string[], serializable = false): string[] =>
  ctl(t, endpoints, 'get', '', '--prefix', '--keys-only', '--limit=1', ...(serializable ? ['--consistency=s'] : []), '-w', 'json');
/** v2 keys (ETCD_ENABLE_V2=true): `ls -r -p` lists keys, and directories with a trailing /. Undefined from 3.6 on: no v2 API. */
export function v2List(t: EtcdTools, endpoint: string): string[] | undefined {
  if (atLeast(t, 3, 6)) return undefined;
  const tls: string[] = [];
  if (t.tls?.cacert) tls.push(`--ca-file=${t.tls.cacert}`);
  if (t.tls?.cert) tls.push(`--cert-file=${t.tls.cert}`);
  if (t.tls?.key) tls.push(`--key-file=${t.tls.key}`);
  return ['env', 'ETCDCTL_API=2', t.etcdctl, `--endpoints=${endpoint}`, ...tls, '--timeout=5s', 'ls', '--recursive', '-p', '/'];
}

/** etcdctl with a longer command timeout (defragment, physical compaction take time on a big db). */
function ctlSlow(t: EtcdTools, endpoints: readonly string[], timeoutS: number, ...args: string[]): string[] {
  return [
    t.etcdctl,
    `--endpoints=${endpoints.join(',')}`,
    ...tlsFlags(t),
    '--dial-timeout=2s',
    `--command-timeout=${Math.max(1, Math.round(timeoutS))}s`,
    ...args,
  ];
}

/** one member: `defrag` blocks it while it rewrites its db */
export const defrag = (t: EtcdTools, endpoint: string, timeoutS: number): string[] => ctlSlow(t, [endpoint], timeoutS, 'defrag');
export const compaction = (t: EtcdTools, endpoints: readonly string[], revision: number, physical: boolean, timeoutS: number): string[] =>
  ctlSlow(t, endpoints, timeoutS, 'compaction', String(revision), ...(physical ? ['--physical'] : []));
export const alarmList = (t: EtcdTools, endpoints: readonly string[]): string[] => ctl(t, endpoints, 'alarm', 'list', '-w', 'json');
export const alarmDisarm = (t: EtcdTools, endpoints: readonly string[]): string[] => ctl(t, endpoints, 'alarm', 'disarm', '-w', 'json');
/** HashKV of every endpoint at `revision` (0: each member's current one) */
export const hashKv = (t: EtcdTools, endpoints: readonly string[], revision: number, timeoutS = 30): string[] =>
  ctlSlow(t, endpoints, timeoutS, 'endpoint', 'hashkv', `--rev=${revision}`, '-w', 'json');
/** leadership to the member `id` (through the current leader's endpoint) */
export const moveLeader = (t: EtcdTools, leaderEndpoint: string, id: string): string[] =>
  ctl(t, [leaderEndpoint], 'move-leader', hexId(id));
/** the member's /metrics through curl (TLS like etcdctl's), for its backend quota */
export function metricsCurl(t: EtcdTools, clientUrl: string): string[] {
  const tls: string[] = [];
  if (t.tls?.cacert) tls.push('--cacert', t.tls.cacert);
  if (t.tls?.cert) tls.push('--cert', t.tls.cert);
  if (t.tls?.key) tls.push('--key', t.tls.key);
  return ['curl', '-sS', '--fail', '--max-time', '5', ...tls, `${clientUrl.replace(/\/+$/, '')}/metrics`];
}

export const snapshotSave = (t: EtcdTools, endpoint: string, file: string): string[] => ctl(t, [endpoint], 'snapshot', 'save', file);

export function memberAdd(t: EtcdTools, endpoints: readonly string[], name: string, peerUrl: string, learner: boolean): string[] {
  return ctl(t, endpoints, 'member', 'add', name, `--peer-urls=${peerUrl}`, ...(learner ? ['--learner'] : []), '-w', 'json');
}
export const memberRemove = (t: EtcdTools, endpoints: readonly string[], id: string): string[] =>
  ctl(t, endpoints, 'member', 'remove', hexId(id));
export const memberPromote = (t: EtcdTools, endpoints: readonly string[], id: string): string[] =>
  ctl(t, endpoints, 'member', 'promote', hexId(id));

export function snapshotStatus(t: EtcdTools, file: string): string[] {
  return fileTool(t) === 'etcdutl'
    ? [t.etcdutl, 'snapshot', 'status', file, '-w', 'json']
    : [t.etcdctl, 'snapshot', 'status', file, '-w', 'json'];
}

export function snapshotRestore(t: EtcdTools, r: RestoreSpec): string[] {
  const tool = fileTool(t) === 'etcdutl' ? t.etcdutl : t.etcdctl;
  return [
    tool,
    'snapshot',
    'restore',
    r.snapshot,
    `--name=${r.name}`,
    `--initial-cluster=${r.initialCluster}`,
    `--initial-cluster-token=${r.token}`,
    `--initial-advertise-peer-urls=${r.peerUrl}`,
    `--data-dir=${r.dataDir}`,
    ...(r.skipHashCheck ? ['--skip-hash-check'] : []),
    ...(r.bumpRevision && tool === t.etcdutl ? [`--bump-revision=${r.bumpRevision}`, '--mark-compacted'] : []),
  ];
}

/** `snapshot restore --help` of the file tool: does it offer --bump-revision / --mark-compacted? */
export const restoreHelp = (t: EtcdTools): string[] => [fileTool(t) === 'etcdutl' ? t.etcdutl : t.etcdctl, 'snapshot', 'restore', '--help'];
export const offersBumpRevision = (help: string): boolean => help.includes('--bump-revision') && help.includes('--mark-compacted');

/** etcdctl prints member ids in decimal (JSON) and takes them in hex. */
export function hexId(id: string): string {
  return /^[0-9]+$/.test(id) ? BigInt(id).toString(16) : id;
}

/**
 * JSON from etcdctl with its 64-bit integers (member and cluster ids) kept exact: integers
 * of 16 digits or more become strings before parsing.
 */
export function parseEtcdJson(text: string): unknown {
  const exact = (t: string): unknown => JSON.parse(t.replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"')) as unknown;
  const start = text.search(/[[{]/);
  if (start < 0) throw new Error(`no JSON in etcdctl output: ${text.trim().slice(0, 200)}`);
  try {
    return exact(text.slice(start));
  } catch {
    // log lines (JSON too) around the answer: the answer is the last line that is not a log
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[[{]/.test(l) && !/^\{"level":/.test(l));
    if (lines.length === 0) throw new Error(`no JSON in etcdctl output: ${text.trim().slice(0, 200)}`);
    return exact(lines[lines.length - 1]!);
  }
}
