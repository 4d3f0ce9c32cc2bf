// A static-pod lab (`lab up --service-manager static-pod`): kubeadm's layout on a lab member.
// Each member has a manifests directory with etcd.yaml (a Pod whose etcd container runs the
// member's etcd with flags, every path mounted from the host at the same path), watched by
// its own kubelet stand-in (kubelet-standin.ts, a detached node process). The playbooks drive
// it with etcd_service_manager: static-pod; the lab's own etcd-service script (start / stop /
// status for `lab break`, `lab start NAME`...) moves the manifest exactly as that manager does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { stringify } from 'yaml';
import { quote } from '../../connection/quote.js';
import { memberConfig, type MemberConfigInput } from './layout.js';
import type { LabMember } from './model.js';
import { etcdOf } from './versions.js';
import { RUNNING, STATUS_AND_DISPATCH } from './service-script.js';
import { LabError } from '../sshd.js';

/** Where the static-pod service manager keeps a stopped manifest (its default: <manifests dir>.stopped-by-runbook). */
export const keptManifest = (manifest: string): string => join(`${dirname(manifest)}.stopped-by-runbook`, 'etcd.yaml');

/** The member's Pod: etcd's ETCD_* configuration as flags, hostPath volumes for its files. */
export function manifestText(m: LabMember, all: readonly LabMember[], o: MemberConfigInput): string {
  const flags = memberConfig(m, all, o).map(
    ([k, v]) =>
      `--${k
        .replace(/^ETCD_/, '')
        .toLowerCase()
        .replace(/_/g, '-')}=${v}`,
  );
  const paths = [m.dir, ...(o.tls ? [dirname(o.tls.caFile)] : [])];
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'etcd', namespace: 'kube-system', labels: { component: 'etcd', tier: 'control-plane' } },
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: 'etcd',
          image: `registry.k8s.io/etcd:${etcdOf(m).version}-0`,
          command: [etcdOf(m).bin, ...flags],
          volumeMounts: paths.map((p, i) => ({ name: `lab-${i}`, mountPath: p })),
        },
      ],
      volumes: paths.map((p, i) => ({ name: `lab-${i}`, hostPath: { path: p, type: 'DirectoryOrCreate' } })),
    },
  };
  return `# etcd of lab member ${m.name} as a kubeadm static pod, written by runbook lab; run by the\n# lab's kubelet stand-in while this file is in ${dirname(m.manifest ?? '')}\n${stringify(pod, { lineWidth: 0 })}`;
}

/** The lab's own service script for a static-pod member: it moves the manifest as the playbooks' manager does. */
export function staticPodScriptText(m: LabMember): string {
  if (!m.manifest) throw new LabError(`${m.name} is not a static-pod member`);
  return `#!/bin/sh
# etcd of lab member ${m.name} as a static pod, written by runbook lab: start/stop move the
# manifest in and out of the directory the lab's kubelet stand-in watches.
# usage: etcd-service start|stop|status|restart
NAME=${quote(m.name)}
MANIFEST=${quote(m.manifest)}
KEPT=${quote(keptManifest(m.manifest))}
PID_FILE=${quote(m.pidFile)}
ETCD_BIN=${quote(etcdOf(m).bin)}

${RUNNING}
start() {
  if [ ! -f "$MANIFEST" ]; then
    if [ ! -f "$KEPT" ]; then echo "$NAME: no manifest ($MANIFEST, $KEPT)" >&2; return 6; fi
    mv -f -- "$KEPT" "$MANIFEST" || return 1
  fi
  i=0
  while ! running && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
  if running; then echo "$NAME: started (pid $pid)"; return 0; fi
  echo "$NAME: the kubelet stand-in did not run etcd within 10 s" >&2
  return 1
}

stop() {
  if [ -f "$MANIFEST" ]; then mkdir -p -m 0700 -- "$(dirname -- "$KEPT")" && mv -f -- "$MANIFEST" "$KEPT" || return 1; fi
  i=0
  while running && [ $i -lt 700 ]; do sleep 0.05; i=$((i + 1)); done
  if running; then echo "$NAME: etcd (pid $pid) still runs" >&2; return 1; fi
  echo "$NAME: stopped"
}

${STATUS_AND_DISPATCH}`;
}

/** dist/cli/lab-kubelet.js (from src/ too: the e2e tests import the lab's sources but run the build; and from the bundle's chunks). */
function standinEntry(): string {
  const entry = join(PACKAGE_ROOT, 'dist/cli/lab-kubelet.js');
  if (!existsSync(entry)) throw new LabError(`the kubelet stand-in ${entry} is not built: run npm run build`);
  return entry;
}

/** Starts the member's kubelet stand-in, detached (it outlives this process, as a kubelet outlives a shell). */
export async function startKubelet(m: LabMember): Promise<number> {
  if (!m.manifest || !m.kubeletPidFile) throw new LabError(`${m.name} is not a static-pod member`);
  const child = spawn(process.execPath, [standinEntry(), dirname(m.manifest), m.pidFile, m.logFile], { detached: true, stdio: 'ignore' });
  const pid = child.pid;
  child.unref();
  if (pid === undefined) throw new LabError(`${m.name}: the kubelet stand-in did not start`);
  await writeFile(m.kubeletPidFile, `${pid}\n`);
  return pid;
}
