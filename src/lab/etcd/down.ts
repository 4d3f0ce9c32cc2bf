// `lab down`: every process of the lab stopped — etcd and sshd by their pid files, then
// whatever else still listens on the lab's addresses or runs from its directory (an etcd a
// playbook started by hand, ssh sessions) — then the lab directory and its inventory removed.
import { rm } from 'node:fs/promises';
import { removeInventory } from './inventory.js';
import { etcdPid } from './members.js';
import type { DownResult, LabRecord } from './model.js';
import { exeOf, labProcesses, readPid, stopPids, withDescendants } from './processes.js';
import { SSHD } from '../sshd.js';

export async function takeDown(r: LabRecord): Promise<DownResult> {
  // kubelet stand-ins first: one would run its etcd again once that is killed
  const kubelets: number[] = [];
  for (const m of r.members) {
    const k = m.kubeletPidFile ? await readPid(m.kubeletPidFile) : undefined;
    if (k !== undefined) kubelets.push(k);
  }
  await stopPids(kubelets, 0, 'SIGKILL');
  const etcd: number[] = [];
  const sshd: number[] = [];
  for (const m of r.members) {
    const e = await etcdPid(m);
    if (e !== undefined) etcd.push(e);
    const s = await readPid(m.sshdPidFile);
    if (s !== undefined && exeOf(s) === SSHD) sshd.push(s);
  }
  // the data goes with the directory: no graceful shutdown to wait for
  const stopped = [...(await stopPids(etcd, 0, 'SIGKILL')), ...(await stopPids(withDescendants(sshd), 5_000))];
  // a second pass: a leftover may only show up once its parent is gone
  for (let pass = 0; pass < 2; pass++) {
    const rest = labProcesses(
      r.members.map((m) => m.address),
      r.dir,
    );
    if (rest.length === 0) break;
    stopped.push(...(await stopPids(rest, 5_000)));
  }
  const removed = await removeInventory(r.inventoryDir);
  await rm(r.dir, { recursive: true, force: true });
  removed.push(r.dir);
  return { stopped: [...new Set(stopped)], removed };
}
