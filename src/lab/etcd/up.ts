// `lab up`: N members on 127.0.<net>.<i>, each with its sshd and its etcd, started through
// the member's own service script, a healthy cluster, and the inventory that reaches it.
// lab.json is written before anything starts, so a failed or interrupted up can be taken down.
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { endpointHealth } from './ctl.js';
import { ensurePackages, requireRoot } from './deps.js';
import { takeDown } from './down.js';
import { prepareHost, startHostSshd } from './hosts.js';
import { checkInventoryFree, writeInventory } from './inventory.js';
import { checkLayoutInput, envFileText, memberLayout, tlsLayout } from './layout.js';
import { etcdPid, logTail, startEtcd } from './members.js';
import { memberMetrics, METRICS_PORT } from './metrics.js';
import { LAB_DEFAULTS, type LabMember, type LabOptions, type LabRecord } from './model.js';
import { listenerOn } from './processes.js';
import { readRecord, recordFile, writeRecord } from './record.js';
import { serviceScriptText } from './service-script.js';
import { manifestText, startKubelet, staticPodScriptText } from './static-pod.js';
import { makeLabPki } from './tls.js';
import { etcdOf, membersEtcd } from './versions.js';
import { generateKey } from '../keys.js';
import { LabError } from '../sshd.js';

/** Same shape of lab? (an `up` asking for what is already up is not an error for the CLI) */
export function sameLab(r: LabRecord, o: LabOptions): boolean {
  const versions = (o.etcdVersion ?? '3.4').split(',');
  const sameEtcd =
    o.etcdBinDir !== undefined ||
    r.members.every((m, i) => sameVersion(etcdOf(m).version, versions.length === 1 ? versions[0]! : (versions[i] ?? '')));
  return (
    r.members.length === (o.members ?? LAB_DEFAULTS.members) &&
    r.net === (o.net ?? LAB_DEFAULTS.net) &&
    r.tls === !!o.tls &&
    r.v2 === !!o.v2 &&
    (r.serviceManager ?? 'script') === (o.serviceManager ?? 'script') &&
    sameEtcd
  );
}

/** 3.4 (the name) matches 3.4.23 (what etcd says) */
function sameVersion(have: string, want: string): boolean {
  return have === want || have.startsWith(`${want}.`);
}

async function refuseWhenTaken(dir: string, members: readonly LabMember[]): Promise<void> {
  if (existsSync(recordFile(dir))) {
    const r = await readRecord(dir);
    const addrs = `${r.members[0]?.address ?? ''}${r.members.length > 1 ? `..${r.members.length}` : ''}`;
    throw new LabError(
      `a lab is already up in ${dir} (${r.members.length} members on ${addrs}${r.tls ? ', tls' : ''}): take it down first with runbook lab down --dir ${dir}`,
      'already-up',
    );
  }
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new LabError(`${dir} exists, is not empty and holds no lab.json: remove it or choose another --dir`, 'in-use');
  for (const m of members) {
    for (const port of [m.sshPort, LAB_DEFAULTS.clientPort, LAB_DEFAULTS.peerPort, METRICS_PORT]) {
      const pid = listenerOn(m.address, port);
      if (pid !== undefined)
        throw new LabError(
          `${m.address}:${port} is already in use${pid > 0 ? ` (pid ${pid})` : ''}: another lab on this --net? choose another --net`,
          'in-use',
        );
    }
  }
}

/** Every member healthy: /health on the metrics port (quick to say no), then the client port through etcdctl (TLS included). */
async function waitHealthy(r: LabRecord, timeoutMs: number): Promise<void> {
  const target = { endpoints: r.members.map((m) => m.clientUrl), tls: r.tlsFiles };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metrics = await Promise.all(r.members.map((m) => memberMetrics(m.metricsUrl)));
    if (metrics.every((x) => x?.healthy)) {
      const health = await endpointHealth(target);
      const sick = r.members.filter((m) => !health.find((h) => h.endpoint === m.clientUrl)?.healthy);
      if (sick.length === 0) return;
      if (Date.now() > deadline) {
        const why = health.find((h) => h.endpoint === sick[0]!.clientUrl)?.error ?? 'unhealthy';
        throw new LabError(
          `cluster not healthy after ${Math.round(timeoutMs / 1000)} s: etcdctl endpoint health fails on ${sick.map((m) => m.name).join(', ')}: ${why}`,
          'unhealthy',
        );
      }
    } else if (Date.now() > deadline) {
      const sick = r.members.filter((_, i) => !metrics[i]?.healthy);
      const first = sick[0]!;
      const state =
        (await etcdPid(first)) === undefined
          ? 'not running'
          : metrics[r.members.indexOf(first)]?.hasLeader
            ? 'running, has a leader'
            : 'running, no leader';
      throw new LabError(
        `cluster not healthy after ${Math.round(timeoutMs / 1000)} s: ${sick.map((m) => m.name).join(', ')} unhealthy (${first.name}: ${state})`,
        'unhealthy',
        `last lines of ${first.logFile}:\n${await logTail(first.logFile)}`,
      );
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function writeMemberFiles(r: LabRecord, m: LabMember): Promise<void> {
  await mkdir(m.dir, { recursive: true, mode: 0o755 });
  await mkdir(m.backupDir, { recursive: true, mode: 0o700 });
  const config = {
    token: r.clusterToken,
    v2: r.v2,
    ...(r.tlsFiles ? { tls: r.tlsFiles } : {}),
    ...(r.quotaBackendBytes ? { quota: r.quotaBackendBytes } : {}),
  };
  if (m.manifest) {
    // kubeadm's layout: no env file, the manifest says everything
    await mkdir(dirname(m.manifest), { recursive: true, mode: 0o755 });
    await writeFile(m.manifest, manifestText(m, r.members, config), { mode: 0o600 });
    await writeFile(m.serviceScript, staticPodScriptText(m), { mode: 0o755 });
  } else {
    await writeFile(m.envFile, envFileText(m, r.members, config), { mode: 0o644 });
    await writeFile(m.serviceScript, serviceScriptText(m), { mode: 0o755 });
  }
  await chmod(m.serviceScript, 0o755);
}

export async function buildLab(o: LabOptions): Promise<LabRecord> {
  requireRoot();
  const dir = resolve(o.dir ?? LAB_DEFAULTS.dir);
  const net = o.net ?? LAB_DEFAULTS.net;
  const tls = !!o.tls;
  const shape = { dir, members: o.members ?? LAB_DEFAULTS.members, net, tls };
  checkLayoutInput(shape);
  await ensurePackages({ tls, installDeps: !!o.installDeps });
  const binaries = await membersEtcd(shape.members, {
    ...(o.etcdVersion ? { version: o.etcdVersion } : {}),
    ...(o.etcdBinDir ? { binDir: o.etcdBinDir } : {}),
    fetch: !!o.installDeps,
  });
  const staticPod = o.serviceManager === 'static-pod';
  const members = memberLayout({ ...shape, etcd: binaries, staticPod });
  await refuseWhenTaken(dir, members);
  const inventoryDir = resolve(o.cwd ?? process.cwd(), o.inventoryDir ?? LAB_DEFAULTS.inventoryDir);
  await checkInventoryFree(inventoryDir);

  await mkdir(join(dir, 'ssh'), { recursive: true });
  await chmod(dir, 0o755);
  const record: LabRecord = {
    version: 1,
    dir,
    net,
    tls,
    v2: !!o.v2,
    ...(staticPod ? { serviceManager: 'static-pod' as const } : {}),
    ...(o.quotaBackendBytes ? { quotaBackendBytes: o.quotaBackendBytes } : {}),
    clusterToken: `runbook-lab-${net}`,
    inventoryDir,
    sshClientKeyFile: join(dir, 'ssh', 'client_ed25519'),
    knownHostsFile: join(dir, 'ssh', 'known_hosts'),
    ...(tls ? { tlsFiles: tlsLayout(dir) } : {}),
    members,
    createdAt: new Date().toISOString(),
  };
  await writeRecord(record);
  try {
    const client = await generateKey(record.sshClientKeyFile, { comment: 'runbook-lab-client' });
    const authorizedKeys = join(dir, 'ssh', 'authorized_keys');
    await writeFile(authorizedKeys, client.publicKey + '\n', { mode: 0o644 });
    if (record.tlsFiles) await makeLabPki(record.tlsFiles, members);
    const known: string[] = [];
    for (const m of members) {
      await writeMemberFiles(record, m);
      known.push(await prepareHost(m, authorizedKeys));
    }
    await writeFile(record.knownHostsFile, known.join('\n') + '\n', { mode: 0o644 });
    const sshd = await Promise.all(members.map((m) => startHostSshd(m)));
    if (staticPod) await Promise.all(members.map((m) => startKubelet(m)));
    const etcd = await Promise.all(members.map((m) => startEtcd(m)));
    await waitHealthy(record, o.healthTimeoutMs ?? 30_000 + 2_000 * members.length);
    await writeInventory(record);
    const pidsAtUp = Object.fromEntries(members.map((m, i) => [m.name, { etcd: etcd[i]!, sshd: sshd[i]! }]));
    const done: LabRecord = { ...record, pidsAtUp };
    await writeRecord(done);
    return done;
  } catch (e) {
    await takeDown(record).catch(() => undefined);
    throw e;
  }
}
