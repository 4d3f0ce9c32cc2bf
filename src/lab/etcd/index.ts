// The rehearsal lab for the etcd disaster-recovery playbook: a real etcd cluster whose
// members are loopback addresses with their own sshd, an inventory that reaches them, and the
// means to load data, break the cluster in known ways and check what survived.
//
//   const lab = await labUp({ members: 3, net: 61, dir });   // or openLab(dir) later
//   await lab.load(2000);
//   await lab.breakLab('quorum-loss');
//   // runbook apply playbooks/etcd-dr.yml -i lab.inventoryDir ...
//   (await lab.verify()).ok;
//   await lab.down();
//
// Every method returns a typed value; failures throw a LabError with a one-line message.
import { breakScenario } from './break.js';
import { etcdctl, etcdctlArgv, type CtlResult } from './ctl.js';
import { v2Count, writeKeys } from './data.js';
import { requireRoot } from './deps.js';
import { takeDown } from './down.js';
import { startHostSshd, stopHostSshd } from './hosts.js';
import { mayHaveQuorum } from './metrics.js';
import { etcdPid, killEtcd, member, startEtcd, stopEtcd } from './members.js';
import {
  LAB_DEFAULTS,
  type BreakOptions,
  type BreakResult,
  type DownResult,
  type LabMember,
  type LabOptions,
  type LabRecord,
  type LabStatus,
  type LabTls,
  type LoadResult,
  type Scenario,
  type VerifyResult,
} from './model.js';
import { readRecord, writeRecord } from './record.js';
import { ctlTarget, labStatus, runningMembers } from './status.js';
import { buildLab } from './up.js';
import { verifyLab } from './verify.js';
import { writeV2Keys } from './v2.js';
import { LabError } from '../sshd.js';

export * from './model.js';
export { labKey, labValue, SENTINEL, KEY_PREFIX, V2_DIR } from './data.js';
export { sameLab } from './up.js';
export { missingPackages, installCommand } from './deps.js';

export class Lab {
  private constructor(private rec: LabRecord) {}

  static async open(dir: string): Promise<Lab> {
    return new Lab(await readRecord(dir));
  }

  /** lab.json as last read or written by this object */
  get record(): LabRecord {
    return this.rec;
  }
  get dir(): string {
    return this.rec.dir;
  }
  get members(): readonly LabMember[] {
    return this.rec.members;
  }
  get inventoryDir(): string {
    return this.rec.inventoryDir;
  }
  get tls(): LabTls | undefined {
    return this.rec.tlsFiles;
  }
  /** client URLs of every member */
  get endpoints(): string[] {
    return this.rec.members.map((m) => m.clientUrl);
  }
  /** keys the lab expects verify to find */
  get expectedKeys(): number {
    return this.rec.loaded?.keys ?? 0;
  }

  member(name: string): LabMember {
    return member(this.rec, name);
  }

  /** etcdctl argv (endpoints, timeouts, TLS flags) for these members (default: all) */
  etcdctlArgv(names?: readonly string[]): string[] {
    return etcdctlArgv(ctlTarget(this.rec, names));
  }

  /** Runs etcdctl (API v3) against these members (default: all). */
  etcdctl(args: readonly string[], names?: readonly string[]): Promise<CtlResult> {
    return etcdctl(ctlTarget(this.rec, names), args);
  }

  private async update(change: (r: LabRecord) => LabRecord): Promise<void> {
    this.rec = change(await readRecord(this.rec.dir));
    await writeRecord(this.rec);
  }

  /** Writes keys 1..k and the sentinel (= k); with v2 (lab up --v2) also k/10 v2 keys. */
  async load(k: number, o: { v2?: boolean } = {}): Promise<LoadResult> {
    if (!Number.isInteger(k) || k < 1 || k > 999_999) throw new LabError(`load needs a key count 1..999999, got ${k}`, 'usage');
    const v2 = o.v2 ?? this.rec.v2;
    if (v2 && !this.rec.v2) throw new LabError('v2 keys need a lab started with --v2 (ETCD_ENABLE_V2=true)', 'usage');
    const started = Date.now();
    const running = await runningMembers(this.rec);
    if (running.length === 0) throw new LabError('no etcd member is running: nothing to load into');
    if (!(await mayHaveQuorum(this.rec.members.filter((m) => running.includes(m.name))))) {
      throw new LabError(`no quorum: no running member (${running.join(' ')}) has a leader, writes cannot succeed`);
    }
    const endpoints = ctlTarget(this.rec, running).endpoints;
    await writeKeys(endpoints, this.rec.tlsFiles, 1, k);
    const v2Keys = v2 ? v2Count(k) : 0;
    if (v2Keys > 0) await writeV2Keys(endpoints, this.rec.tlsFiles, v2Keys);
    await this.update((r) => ({ ...r, loaded: { keys: k, v2Keys } }));
    return { keys: k, v2Keys, ms: Date.now() - started };
  }

  /** Breaks the cluster as the scenario says (docs/lab.md) and returns the state it left. */
  async breakLab(scenario: Scenario, o: BreakOptions = {}): Promise<BreakResult> {
    requireRoot();
    const broken = await breakScenario(this.rec, scenario, o);
    await this.update((r) => ({
      ...r,
      broken: broken.result,
      ...(broken.keys !== undefined ? { loaded: { keys: broken.keys, v2Keys: r.loaded?.v2Keys ?? 0 } } : {}),
    }));
    return broken.result;
  }

  status(): Promise<LabStatus> {
    return labStatus(this.rec);
  }

  verify(): Promise<VerifyResult> {
    return verifyLab(this.rec);
  }

  /** Stops the member's etcd through its service script (TERM, then KILL after 10 s). */
  async stopMember(name: string): Promise<void> {
    await stopEtcd(this.member(name));
  }

  /** Starts the member's etcd through its service script; returns its pid (health is not awaited). */
  startMember(name: string): Promise<number> {
    return startEtcd(this.member(name));
  }

  /** The member's etcd pid, undefined when it is not running. */
  etcdPid(name: string): Promise<number | undefined> {
    return etcdPid(this.member(name));
  }

  /** Power cut: etcd killed with SIGKILL, sshd and its sessions stopped. The host is unreachable. */
  async killHost(name: string): Promise<void> {
    const m = this.member(name);
    await killEtcd(m);
    await stopHostSshd(m);
  }

  /** The host is back: its sshd runs again (same host key). etcd stays down: startMember. */
  async startHost(name: string): Promise<number> {
    return startHostSshd(this.member(name));
  }

  /** Stops every process of the lab, removes its directory and its inventory. */
  async down(): Promise<DownResult> {
    requireRoot();
    return takeDown(this.rec);
  }

  /** @internal */
  static fromRecord(r: LabRecord): Lab {
    return new Lab(r);
  }
}

/** Builds and starts a lab; refuses (reason 'already-up') when one is recorded in its dir. */
export async function labUp(o: LabOptions = {}): Promise<Lab> {
  return Lab.fromRecord(await buildLab(o));
}

/** The lab recorded in dir/lab.json (default /var/tmp/runbook-lab). */
export function openLab(dir: string = LAB_DEFAULTS.dir): Promise<Lab> {
  return Lab.open(dir);
}
