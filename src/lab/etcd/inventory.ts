// The inventory `lab up` writes: group `etcd`, one host per member with its address and
// paths, the shared values (SSH user and key, service manager, TLS files) in
// group_vars/etcd.yml. Marked as the lab's, so up never overwrites and down never removes an
// inventory somebody else wrote.
import { readFile, mkdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { LabMember, LabRecord } from './model.js';
import { etcdOf } from './versions.js';
import { LabError } from '../sshd.js';

export const MARK = '# runbook lab inventory';

export function inventoryFiles(dir: string): { hosts: string; groupVars: string } {
  return { hosts: join(dir, 'hosts.yml'), groupVars: join(dir, 'group_vars', 'etcd.yml') };
}

function hostVars(m: LabMember): Record<string, unknown> {
  const service = (action: string): string => `${m.serviceScript} ${action}`;
  const etcd = etcdOf(m);
  // the tools of the member's own version (a fetched release is not on the PATH)
  const tools =
    etcd.etcdctl === '/usr/bin/etcdctl' ? {} : { etcdctl_path: etcd.etcdctl, ...(etcd.etcdutl ? { etcdutl_path: etcd.etcdutl } : {}) };
  // where the member is: how to reach it and where its data and URLs are
  const where = {
    ansible_host: m.address,
    ansible_port: m.sshPort,
    etcd_name: m.name,
    etcd_client_url: m.clientUrl,
    etcd_peer_url: m.peerUrl,
    etcd_metrics_url: m.metricsUrl,
    etcd_data_dir: m.dataDir,
  };
  const files = {
    etcd_backup_dir: m.backupDir,
    etcd_log_file: m.logFile,
    // every lab "host" shares this machine's /tmp: a lock file of its own, as a real host has
    runbook_lock_file: join(dirname(m.dataDir), 'runbook.lock'),
    // with --tls: the files etcd serves with (server and peer), for certs.yml
    ...(m.certFile && m.keyFile ? { etcd_server_cert: m.certFile, etcd_server_key: m.keyFile } : {}),
  };
  // kubeadm's layout: the manifest says where the member's data and URLs are; the inventory
  // repeats them (every playbook reads them; the DR playbook also reads them from the manifest)
  if (m.manifest) return { ...where, etcd_static_pod_manifest: m.manifest, ...files, ...tools };
  return {
    ...where,
    etcd_env_file: m.envFile,
    etcd_service_start: service('start'),
    etcd_service_stop: service('stop'),
    etcd_service_status: service('status'),
    etcd_service_restart: service('restart'),
    ...files,
    ...tools,
  };
}

function groupVars(r: LabRecord): Record<string, unknown> {
  return {
    ansible_user: 'root',
    ssh_private_key_file: r.sshClientKeyFile,
    ssh_known_hosts_file: r.knownHostsFile,
    etcd_service_manager: r.serviceManager ?? 'command',
    etcd_initial_cluster_token: r.clusterToken,
    etcd_lab_dir: r.dir,
    ...(r.v2 ? { etcd_v2_data: true } : {}),
    ...(r.tlsFiles ? { etcd_cacert: r.tlsFiles.caFile, etcd_cert: r.tlsFiles.clientCertFile, etcd_key: r.tlsFiles.clientKeyFile } : {}),
  };
}

async function isOurs(file: string): Promise<boolean | undefined> {
  try {
    return (await readFile(file, 'utf8')).startsWith(MARK);
  } catch {
    return undefined; // absent
  }
}

/** Refuses when an inventory that is not the lab's is in the way. */
export async function checkInventoryFree(dir: string): Promise<void> {
  for (const f of Object.values(inventoryFiles(dir))) {
    if ((await isOurs(f)) === false)
      throw new LabError(`${f} exists and was not written by runbook lab: choose another --inventory-dir (-i) or remove it`, 'in-use');
  }
}

export async function writeInventory(r: LabRecord): Promise<void> {
  const files = inventoryFiles(r.inventoryDir);
  await checkInventoryFree(r.inventoryDir);
  await mkdir(join(r.inventoryDir, 'group_vars'), { recursive: true });
  const hosts = Object.fromEntries(r.members.map((m) => [m.name, hostVars(m)]));
  const head = `${MARK} (lab ${r.dir}): written by runbook lab up, removed by runbook lab down.\n`;
  await writeFile(files.hosts, head + stringify({ all: { children: { etcd: { hosts } } } }));
  await writeFile(files.groupVars, head + '# values every lab member shares\n' + stringify(groupVars(r)));
}

/** Removes the lab's files and the directories they leave empty. Returns what was removed. */
export async function removeInventory(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const files = inventoryFiles(dir);
  for (const f of [files.hosts, files.groupVars]) {
    if (await isOurs(f)) {
      await rm(f, { force: true });
      removed.push(f);
    }
  }
  for (const d of [join(dir, 'group_vars'), dir]) {
    try {
      await rmdir(d); // only when empty: other files stay
      removed.push(d);
    } catch {
      // not empty, or absent
    }
  }
  return removed;
}
