// A Kubernetes static-pod manifest of etcd (kubeadm's /etc/kubernetes/manifests/etcd.yaml):
// what the member's etcd runs with, read from the etcd container's command/args flags and
// mapped to host paths through its hostPath volumes; and the one rewrite a recovery needs,
// setting or removing flags (--initial-cluster, --initial-cluster-state, ...) while every
// other line of the file stays as it was. Shared by the modules (reading and rewriting over
// SSH) and the lab's kubelet stand-in (running the command): one parser for both.
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export interface ManifestMount {
  readonly containerPath: string;
  readonly hostPath: string;
}

export interface EtcdManifest {
  /** the etcd container's name */
  readonly container: string;
  /** command then args, as the container runs them */
  readonly argv: readonly string[];
  /** every `--flag=value` (or `--flag value`) of argv, the last one winning, as etcd reads them */
  readonly flags: Readonly<Record<string, string>>;
  /** hostPath volumes mounted into the etcd container */
  readonly mounts: readonly ManifestMount[];
}

export class ManifestError extends Error {}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function words(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ManifestError(`${where} is not a list`);
  return v.map((w, i) => {
    const s = str(w);
    if (s === undefined) throw new ManifestError(`${where}[${i}] is not a string`);
    return s;
  });
}

/** `--name=value` and `--name value` words into flags (a bare `--flag` before another flag is `true`). */
export function flagsOf(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([A-Za-z0-9][A-Za-z0-9-]*)(?:=(.*))?$/s.exec(argv[i]!);
    if (!m) continue;
    if (m[2] !== undefined) out[m[1]!] = m[2];
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) out[m[1]!] = argv[++i]!;
    else out[m[1]!] = 'true';
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function etcdContainerIndex(containers: readonly unknown[]): number {
  const named = containers.findIndex((c) => isObj(c) && c['name'] === 'etcd');
  if (named >= 0) return named;
  const byCommand = containers.findIndex(
    (c) => isObj(c) && Array.isArray(c['command']) && /(^|\/)etcd$/.test(String(c['command'][0] ?? '')),
  );
  if (byCommand >= 0) return byCommand;
  if (containers.length === 1) return 0;
  throw new ManifestError(`no container named etcd (or running etcd) among ${containers.length} containers`);
}

/** The etcd container of a static-pod manifest; a ManifestError says what is wrong with the file. */
export function parseManifest(text: string): EtcdManifest {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new ManifestError(`not YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const pod: unknown = doc.toJS();
  if (!isObj(pod)) throw new ManifestError('not a mapping');
  if (pod['kind'] !== undefined && pod['kind'] !== 'Pod') throw new ManifestError(`kind is ${String(pod['kind'])}, not Pod`);
  const spec = pod['spec'];
  if (!isObj(spec) || !Array.isArray(spec['containers']) || spec['containers'].length === 0) throw new ManifestError('no spec.containers');
  const containers = spec['containers'] as unknown[];
  const c = containers[etcdContainerIndex(containers)] as Obj;
  const argv = [...words(c['command'], 'the etcd container command'), ...words(c['args'], 'the etcd container args')];
  if (argv.length === 0) throw new ManifestError('the etcd container has no command');
  const volumes = new Map<string, string>();
  for (const v of Array.isArray(spec['volumes']) ? spec['volumes'] : []) {
    if (isObj(v) && typeof v['name'] === 'string' && isObj(v['hostPath']) && typeof v['hostPath']['path'] === 'string')
      volumes.set(v['name'], v['hostPath']['path']);
  }
  const mounts: ManifestMount[] = [];
  for (const m of Array.isArray(c['volumeMounts']) ? c['volumeMounts'] : []) {
    if (!isObj(m) || typeof m['name'] !== 'string' || typeof m['mountPath'] !== 'string') continue;
    const hostPath = volumes.get(m['name']);
    if (hostPath !== undefined) mounts.push({ containerPath: m['mountPath'], hostPath });
  }
  return { container: String(c['name'] ?? 'etcd'), argv, flags: flagsOf(argv), mounts };
}

const trimSlash = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * Where a path the container sees lives on the host: through the deepest hostPath mount that
 * holds it; a path outside every mount is the container's own (undefined: not on the host).
 */
export function hostPathOf(m: EtcdManifest, containerPath: string): string | undefined {
  const p = trimSlash(containerPath);
  let best: ManifestMount | undefined;
  for (const mount of m.mounts) {
    const c = trimSlash(mount.containerPath);
    if ((p === c || p.startsWith(c === '/' ? '/' : `${c}/`)) && (!best || c.length > trimSlash(best.containerPath).length)) best = mount;
  }
  if (!best) return undefined;
  const rest = p.slice(trimSlash(best.containerPath).length).replace(/^\//, '');
  return rest ? `${trimSlash(best.hostPath)}/${rest}` : trimSlash(best.hostPath);
}

/** What the inventory would say about this member, read from its manifest (host paths). */
export interface ManifestMember {
  readonly name?: string;
  readonly data_dir?: string;
  readonly client_url?: string;
  readonly peer_url?: string;
  readonly initial_cluster?: string;
  readonly initial_cluster_state?: string;
  readonly initial_cluster_token?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly cacert?: string;
  readonly peer_cert?: string;
  readonly peer_key?: string;
  readonly peer_cacert?: string;
}

const FILE_FLAGS = {
  cert: 'cert-file',
  key: 'key-file',
  cacert: 'trusted-ca-file',
  peer_cert: 'peer-cert-file',
  peer_key: 'peer-key-file',
  peer_cacert: 'peer-trusted-ca-file',
} as const;

export function manifestMember(m: EtcdManifest): ManifestMember {
  const f = m.flags;
  const first = (v: string | undefined): string | undefined => v?.split(',')[0]?.trim() || undefined;
  const out: Record<string, string> = {};
  const put = (k: keyof ManifestMember, v: string | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  put('name', f['name'] ?? 'default');
  // etcd's default data dir is <name>.etcd in its working directory: unknowable from the host
  if (f['data-dir']) put('data_dir', hostPathOf(m, f['data-dir']) ?? f['data-dir']);
  put('client_url', first(f['advertise-client-urls']) ?? first(f['listen-client-urls']));
  put('peer_url', first(f['initial-advertise-peer-urls']) ?? first(f['listen-peer-urls']));
  put('initial_cluster', f['initial-cluster']);
  put('initial_cluster_state', f['initial-cluster-state']);
  put('initial_cluster_token', f['initial-cluster-token']);
  for (const [k, flag] of Object.entries(FILE_FLAGS)) if (f[flag]) put(k as keyof ManifestMember, hostPathOf(m, f[flag]) ?? f[flag]);
  return out as ManifestMember;
}

function flagSeqs(doc: ReturnType<typeof parseDocument>): YAMLSeq[] {
  const containers = doc.getIn(['spec', 'containers']);
  if (!isSeq(containers)) throw new ManifestError('no spec.containers');
  const plain = containers.items.map((c) => (isMap(c) ? (c.toJSON() as unknown) : undefined));
  const c = containers.items[etcdContainerIndex(plain)];
  if (!isMap(c)) throw new ManifestError('the etcd container is not a mapping');
  const seqs: YAMLSeq[] = [];
  for (const key of ['command', 'args']) {
    const s = (c as YAMLMap).get(key, true);
    if (isSeq(s)) seqs.push(s);
  }
  if (seqs.length === 0) throw new ManifestError('the etcd container has no command');
  return seqs;
}

/**
 * The manifest with these flags set (`--flag=value`, replacing every occurrence of the flag)
 * or removed (null); new flags go after the container's last flag. Every other line is kept.
 */
export function setManifestFlags(text: string, set: Readonly<Record<string, string | null>>): string {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new ManifestError(`not YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const seqs = flagSeqs(doc);
  for (const [flag, value] of Object.entries(set)) {
    if (/[\n\r\0]/.test(value ?? '')) throw new ManifestError(`--${flag}: a value with a newline cannot be a flag`);
    let placed = false;
    for (const seq of seqs) {
      for (let i = 0; i < seq.items.length; i++) {
        const item = seq.items[i];
        const w = isScalar(item) ? str(item.value) : undefined;
        if (w === undefined) continue;
        const joined = w.startsWith(`--${flag}=`);
        const split = w === `--${flag}`;
        if (!joined && !split) continue;
        const drop =
          split && i + 1 < seq.items.length && !String((seq.items[i + 1] as Scalar | undefined)?.value ?? '').startsWith('-') ? 2 : 1;
        if (value === null || placed) {
          seq.items.splice(i, drop);
          i--;
        } else {
          (item as Scalar).value = `--${flag}=${value}`;
          if (drop === 2) seq.items.splice(i + 1, 1);
          placed = true;
        }
      }
    }
    if (!placed && value !== null) {
      const target =
        [...seqs].reverse().find((s) => s.items.some((it) => isScalar(it) && String(it.value).startsWith('--'))) ?? seqs[seqs.length - 1]!;
      target.items.push(doc.createNode(`--${flag}=${value}`));
    }
  }
  // kubeadm writes a list at its key's indentation (`command:` then `- etcd`): keep that style
  const indentSeq = !/^( *)[^\s#-][^\n]*:\n\1- /m.test(text);
  return doc.toString({ lineWidth: 0, indentSeq });
}
