// Where every piece of a lab lives and what each member's etcd.env says — pure, so the same
// options always give the same layout.
import { join } from 'node:path';
import { metricsUrl } from './metrics.js';
import { LAB_DEFAULTS, MAX_MEMBERS, type LabEtcd, type LabMember, type LabTls } from './model.js';
import { LabError } from '../sshd.js';

export interface LayoutInput {
  readonly dir: string;
  readonly members: number;
  readonly net: number;
  readonly tls: boolean;
  /** each member's etcd (index i-1); absent: the machine's own */
  readonly etcd?: readonly LabEtcd[];
  /** members run as static pods under the kubelet stand-in */
  readonly staticPod?: boolean;
}

export function checkLayoutInput(o: LayoutInput): void {
  if (!Number.isInteger(o.members) || o.members < 1 || o.members > MAX_MEMBERS) {
    throw new LabError(`--members must be 1..${MAX_MEMBERS}, got ${o.members}`, 'usage');
  }
  if (!Number.isInteger(o.net) || o.net < 1 || o.net > 254)
    throw new LabError(`--net must be 1..254 (members live on 127.0.<net>.<i>), got ${o.net}`, 'usage');
  // paths end up in env files, sh scripts and YAML unquoted: keep them plain
  if (!/^\/[A-Za-z0-9_@%+=:,./-]*$/.test(o.dir))
    throw new LabError(`lab directory '${o.dir}' must be an absolute path without spaces or shell metacharacters`, 'usage');
}

export function memberLayout(o: LayoutInput): LabMember[] {
  const scheme = o.tls ? 'https' : 'http';
  const out: LabMember[] = [];
  for (let i = 1; i <= o.members; i++) {
    const name = `etcd${i}`;
    const address = `127.0.${o.net}.${i}`;
    const dir = join(o.dir, name);
    out.push({
      name,
      index: i,
      address,
      sshPort: LAB_DEFAULTS.sshPort,
      clientUrl: `${scheme}://${address}:${LAB_DEFAULTS.clientPort}`,
      peerUrl: `${scheme}://${address}:${LAB_DEFAULTS.peerPort}`,
      metricsUrl: metricsUrl(address),
      dir,
      dataDir: join(dir, 'data'),
      envFile: join(dir, 'etcd.env'),
      serviceScript: join(dir, 'etcd-service'),
      pidFile: join(dir, 'etcd.pid'),
      logFile: join(dir, 'etcd.log'),
      backupDir: join(dir, 'backup'),
      sshdConfigFile: join(dir, 'ssh', 'sshd_config'),
      sshdPidFile: join(dir, 'ssh', 'sshd.pid'),
      sshdLogFile: join(dir, 'ssh', 'sshd.log'),
      ...(o.etcd?.[i - 1] ? { etcd: o.etcd[i - 1]! } : {}),
      ...(o.staticPod ? { manifest: join(dir, 'manifests', 'etcd.yaml'), kubeletPidFile: join(dir, 'kubelet.pid') } : {}),
      ...(o.tls ? { certFile: join(o.dir, 'tls', `${name}.crt`), keyFile: join(o.dir, 'tls', `${name}.key`) } : {}),
    });
  }
  return out;
}

export function tlsLayout(dir: string): LabTls {
  return {
    caFile: join(dir, 'tls', 'ca.crt'),
    clientCertFile: join(dir, 'tls', 'client.crt'),
    clientKeyFile: join(dir, 'tls', 'client.key'),
  };
}

export function initialCluster(members: readonly LabMember[]): string {
  return members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
}

export interface MemberConfigInput {
  readonly token: string;
  readonly v2: boolean;
  readonly tls?: LabTls;
  readonly quota?: number;
}

/** The member's etcd configuration as ETCD_* names (the env file; a static pod's flags). */
export function memberConfig(m: LabMember, all: readonly LabMember[], o: MemberConfigInput): [string, string][] {
  const vars: [string, string][] = [
    ['ETCD_NAME', m.name],
    ['ETCD_DATA_DIR', m.dataDir],
    ['ETCD_LISTEN_CLIENT_URLS', m.clientUrl],
    ['ETCD_ADVERTISE_CLIENT_URLS', m.clientUrl],
    ['ETCD_LISTEN_PEER_URLS', m.peerUrl],
    ['ETCD_INITIAL_ADVERTISE_PEER_URLS', m.peerUrl],
    ['ETCD_INITIAL_CLUSTER', initialCluster(all)],
    ['ETCD_INITIAL_CLUSTER_STATE', 'new'],
    ['ETCD_INITIAL_CLUSTER_TOKEN', o.token],
    // metrics and /health on a plain-http port of their own: they answer without quorum
    ['ETCD_LISTEN_METRICS_URLS', m.metricsUrl],
  ];
  if (o.v2) vars.push(['ETCD_ENABLE_V2', 'true']);
  if (o.quota) vars.push(['ETCD_QUOTA_BACKEND_BYTES', String(o.quota)]);
  if (o.tls && m.certFile && m.keyFile) {
    vars.push(
      ['ETCD_CERT_FILE', m.certFile],
      ['ETCD_KEY_FILE', m.keyFile],
      ['ETCD_TRUSTED_CA_FILE', o.tls.caFile],
      ['ETCD_CLIENT_CERT_AUTH', 'true'],
      ['ETCD_PEER_CERT_FILE', m.certFile],
      ['ETCD_PEER_KEY_FILE', m.keyFile],
      ['ETCD_PEER_TRUSTED_CA_FILE', o.tls.caFile],
      ['ETCD_PEER_CLIENT_CERT_AUTH', 'true'],
    );
  }
  return vars;
}

/** The member's etcd configuration, as etcd reads it from its environment. */
export function envFileText(m: LabMember, all: readonly LabMember[], o: MemberConfigInput): string {
  const vars = memberConfig(m, all, o);
  const header = [
    `# etcd configuration of ${m.name}, written by runbook lab. Read by ${m.serviceScript} at every`,
    '# start (set -a; . this file): change a value, restart, and the member runs with it.',
  ];
  return [...header, ...vars.map(([k, v]) => `${k}=${v}`)].join('\n') + '\n';
}
