// `lab break SCENARIO`: real failures, each leaving a precisely known state (docs/lab.md).
// Before breaking, the running members are given time to apply everything the cluster
// acknowledged, so "which member has the newest data" has a single, stable answer.
//
//   quorum-loss     all stopped; every data dir but the survivor's (default: the last
//                   member) removed; the survivor started again: running, never healthy.
//   stale-member    etcd1 stopped; more keys written through the others; then the others
//                   stopped. All stopped, all data kept: etcd1's is older.
//   dead-hosts      the last floor(N/2) members lose sshd (and its sessions) and etcd (kill -9).
//   one-bad-member  the last member stopped, its member/snap/db overwritten; the others run.
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeKeys } from './data.js';
import { stopHostSshd } from './hosts.js';
import { memberMetrics } from './metrics.js';
import { killEtcd, member, startEtcd, stopEtcd } from './members.js';
import type { BreakOptions, BreakResult, LabMember, LabRecord, Scenario } from './model.js';
import { runningMembers } from './status.js';
import { LabError } from '../sshd.js';
import { assertNever } from '../../core/assert-never.js';

const names = (ms: readonly LabMember[]): string[] => ms.map((m) => m.name);

function needMembers(r: LabRecord, scenario: Scenario, n: number): void {
  if (r.members.length < n) throw new LabError(`${scenario} needs at least ${n} members (this lab has ${r.members.length})`, 'usage');
}

/** Waits (up to ms) until the running members report the same revision and applied index. */
async function settle(r: LabRecord, ms = 10_000): Promise<void> {
  const running = await runningMembers(r);
  const members = r.members.filter((m) => running.includes(m.name));
  if (members.length < 2) return;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const seen = await Promise.all(members.map((m) => memberMetrics(m.metricsUrl)));
    if (seen.some((x) => x === undefined)) return; // no metrics listener: nothing to judge by
    if (new Set(seen.map((x) => `${x!.revision}/${x!.appliedIndex}`)).size === 1) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

/** Waits (up to ms) until one of these members is healthy again (a new leader elected). */
async function awaitQuorum(members: readonly LabMember[], ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const seen = await Promise.all(members.map((m) => memberMetrics(m.metricsUrl)));
    if (seen.some((x) => x?.healthy)) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new LabError(`${names(members).join(', ')} did not elect a leader within ${ms / 1000} s`);
}

/** One after the other: stopped together, a leader waits seconds handing leadership to members that are leaving. */
async function stopAll(members: readonly LabMember[]): Promise<void> {
  for (const m of members) await stopEtcd(m);
}

/** Overwrites the bbolt meta pages: the file stays, etcd can no longer open it. */
async function corruptDb(m: LabMember): Promise<string> {
  const db = join(m.dataDir, 'member', 'snap', 'db');
  const f = await open(db, 'r+').catch(() => {
    throw new LabError(`${m.name}: ${db} not found: nothing to corrupt`);
  });
  try {
    await f.write(Buffer.alloc(16 * 1024, 'runbook lab: corrupted\n'), 0, 16 * 1024, 0);
    await f.sync();
  } finally {
    await f.close();
  }
  return db;
}

export interface Broken {
  readonly result: BreakResult;
  /** keys the lab expects from now on, when the scenario wrote some */
  readonly keys?: number;
}

export async function breakScenario(r: LabRecord, scenario: Scenario, o: BreakOptions = {}): Promise<Broken> {
  const all = r.members;
  const keys = r.loaded?.keys ?? 0;
  await settle(r);
  switch (scenario) {
    case 'quorum-loss': {
      needMembers(r, scenario, 2);
      const survivor = member(r, o.survivor ?? all[all.length - 1]!.name);
      const lost = all.filter((m) => m !== survivor);
      await stopAll(all);
      for (const m of lost) await rm(m.dataDir, { recursive: true, force: true });
      await startEtcd(survivor);
      return {
        result: {
          scenario,
          summary: `stopped every member, removed the data dirs of ${names(lost).join(', ')}, started ${survivor.name} again: it runs alone, without quorum`,
          running: [survivor.name],
          stopped: names(lost),
          wiped: names(lost),
          corrupted: [],
          deadHosts: [],
          recoverFrom: [survivor.name],
          expectedKeys: keys,
        },
      };
    }
    case 'stale-member': {
      needMembers(r, scenario, 3);
      const [stale, ...newer] = all as [LabMember, ...LabMember[]];
      const extra = Math.max(100, Math.floor(keys / 10));
      await stopEtcd(stale);
      await writeKeys(
        newer.map((m) => m.clientUrl),
        r.tlsFiles,
        keys + 1,
        keys + extra,
      );
      await settle(r);
      await stopAll(newer);
      return {
        keys: keys + extra,
        result: {
          scenario,
          summary: `stopped ${stale.name}, wrote keys ${keys + 1}..${keys + extra} through ${names(newer).join(', ')}, then stopped them: ${stale.name}'s data is older`,
          running: [],
          stopped: names(all),
          wiped: [],
          corrupted: [],
          deadHosts: [],
          recoverFrom: names(newer),
          expectedKeys: keys + extra,
        },
      };
    }
    case 'dead-hosts': {
      needMembers(r, scenario, 2);
      const dead = all.slice(all.length - Math.floor(all.length / 2));
      for (const m of dead) {
        await killEtcd(m);
        await stopHostSshd(m);
      }
      const alive = all.filter((m) => !dead.includes(m));
      const quorum = alive.length > all.length / 2;
      if (quorum) await awaitQuorum(alive);
      return {
        result: {
          scenario,
          summary: `${names(dead).join(', ')}: sshd and etcd killed (unreachable); ${names(alive).join(', ')} still run, ${quorum ? 'with' : 'without'} quorum`,
          running: names(alive),
          stopped: names(dead),
          wiped: [],
          corrupted: [],
          deadHosts: names(dead),
          expectedKeys: keys,
        },
      };
    }
    case 'one-bad-member': {
      needMembers(r, scenario, 3);
      const bad = all[all.length - 1]!;
      await stopEtcd(bad);
      const db = await corruptDb(bad);
      await awaitQuorum(all.filter((m) => m !== bad));
      return {
        result: {
          scenario,
          summary: `stopped ${bad.name} and overwrote the start of ${db}: it cannot start again; the others keep quorum`,
          running: names(all.filter((m) => m !== bad)),
          stopped: [bad.name],
          wiped: [],
          corrupted: [bad.name],
          deadHosts: [],
          expectedKeys: keys,
        },
      };
    }
    default:
      return assertNever(scenario);
  }
}
