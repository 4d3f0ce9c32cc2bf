// A member's etcd, driven exactly as the playbooks drive it: through its etcd-service script.
// Power loss (kill -9) is the one thing the script does not offer.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { LabMember, LabRecord } from './model.js';
import { exeOf, readPid, stopPids } from './processes.js';
import { etcdOf } from './versions.js';
import { LabError } from '../sshd.js';

export type ServiceAction = 'start' | 'stop' | 'status' | 'restart';

export interface ServiceRun {
  readonly code: number;
  readonly output: string;
}

export function runService(m: LabMember, action: ServiceAction): Promise<ServiceRun> {
  return new Promise((resolve) => {
    execFile('/bin/sh', [m.serviceScript, action], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, output: (stdout + stderr).trim() });
    });
  });
}

/** The pid of the member's live etcd, from its pid file. */
export async function etcdPid(m: LabMember): Promise<number | undefined> {
  const pid = await readPid(m.pidFile);
  return pid !== undefined && exeOf(pid) === etcdOf(m).bin ? pid : undefined;
}

export async function logTail(file: string, lines = 8): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function member(r: LabRecord, name: string): LabMember {
  const m = r.members.find((x) => x.name === name);
  if (!m) throw new LabError(`no member '${name}' in the lab (members: ${r.members.map((x) => x.name).join(', ')})`, 'usage');
  return m;
}

export async function startEtcd(m: LabMember): Promise<number> {
  const r = await runService(m, 'start');
  const pid = await etcdPid(m);
  if (r.code !== 0 || pid === undefined) throw new LabError(`${m.name}: etcd did not start: ${r.output.split('\n').join(' | ')}`);
  return pid;
}

export async function stopEtcd(m: LabMember): Promise<void> {
  const r = await runService(m, 'stop');
  if (r.code !== 0) throw new LabError(`${m.name}: etcd did not stop: ${r.output.split('\n').join(' | ')}`);
}

/** kill -9, as a power cut would: no graceful shutdown. */
export async function killEtcd(m: LabMember): Promise<void> {
  const pid = await etcdPid(m);
  if (pid !== undefined) await stopPids([pid], 0, 'SIGKILL');
}
