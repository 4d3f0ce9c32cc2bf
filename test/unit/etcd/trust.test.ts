// The trust rules of a recovery, pure: verify against the newest data seen before it, a plan's
// decision kept only while the hosts still lead to it, unreachable members named with the next
// step. No I/O to fake.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/modules/etcd/decide.js';
import type { MemberFacts } from '../../../src/modules/etcd/facts-model.js';
import { describeDecision } from '../../../src/modules/etcd/recovery_plan.js';
import { staleness } from '../../../src/modules/etcd/stale.js';
import { judgeData } from '../../../src/modules/etcd/verify-data.js';

const now = new Date('2026-11-23T10:00:00Z');
function member(i: number, revision: number | undefined, over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    host: `etcd${i}`,
    name: `etcd${i}`,
    client_url: `http://10.0.0.${i}:2379`,
    peer_url: `http://10.0.0.${i}:2380`,
    backup_dir: '/var/backups/etcd',
    serving: false,
    healthy: false,
    data: revision === undefined ? { exists: false, db: false } : { exists: true, db: true, revision },
    version: '3.4.23',
    v2_enabled: false,
    ...over,
  };
}

describe('verify against the newest data', () => {
  it('a cluster behind the newest revision or key count fails unless the loss was accepted, then reports it', () => {
    const e = { newestRevision: 365, newestKeyCount: 6050, sourceRevision: 359, acceptLoss: false };
    expect(judgeData(e, { revision: 370, keyCount: 6050 })).toEqual({ problems: [], notes: [] });
    const lost = judgeData(e, { revision: 360, keyCount: 5500 });
    expect(lost.problems).toEqual([
      'the cluster is at revision 360, 5 behind the newest revision seen before the recovery (365): data lost',
      '5500 keys, 550 fewer than the newest member had before the recovery (6050): keys lost',
    ]);
    const accepted = judgeData({ ...e, acceptLoss: true }, { revision: 360, keyCount: 5500 });
    expect(accepted.problems).toEqual([]);
    expect(accepted.notes.join('\n')).toMatch(/550 fewer .*loss accepted/);
  });

  it('behind the survivor itself, or 0 keys from a member that had keys: always a failure', () => {
    expect(judgeData({ sourceRevision: 3002, newestRevision: 3002, acceptLoss: true }, { revision: 1, keyCount: 0 }).problems).toEqual([
      'the cluster is at revision 1, behind the revision 3002 of the member it was recovered from: the restore did not use its data',
      '0 keys after a recovery from a member that had keys (it was at revision 3002): an empty cluster is never a recovery',
    ]);
    expect(judgeData({ sourceKeyCount: 10, acceptLoss: true }, { revision: 50, keyCount: 0 }).problems).toHaveLength(1);
    // a member that never had a key (revision 1, nothing counted): an empty cluster is right
    expect(judgeData({ sourceRevision: 1, acceptLoss: false }, { revision: 1, keyCount: 0 }).problems).toEqual([]);
  });
});

describe('a plan decision against the hosts now', () => {
  const ms = [member(1, 359), member(2, 365), member(3, 365)];
  const planned = decide({ members: ms, unreachable: [], now });

  it('the same hosts at the same clock: the same decision, the same ids', () => {
    const again = decide({ members: ms, unreachable: [], now });
    expect(staleness(planned, again)).toEqual([]);
    expect(again.action === 'recover' && again.record.id).toBe(planned.action === 'recover' && planned.record.id);
  });

  it('a member that came back or a newer revision: named', () => {
    const back = decide({ members: [...ms, member(4, 400)], unreachable: [], now });
    const d = staleness(planned, back);
    expect(d.join('; ')).toMatch(/survivor etcd2 in the plan, now etcd4/);
    expect(d.join('; ')).toMatch(/etcd4 reachable now \(revision 400\), not in the plan/);
    const newer = decide({ members: [member(1, 359), member(2, 365), member(3, 371)], unreachable: [], now });
    expect(staleness(planned, newer).join('; ')).toMatch(/etcd3: revision 365 in the plan, now 371/);
    const lost = decide({ members: ms.slice(0, 2), unreachable: ['etcd3'], now });
    expect(staleness(planned, lost)).toContain('unreachable in the plan: none; now: etcd3');
  });
});

describe('an unreachable member while the others keep quorum', () => {
  it('stays in the membership; the decision names the next step', () => {
    const members = [1, 2, 3].map((k) => ({ id: String(k), name: `etcd${k}`, peer_urls: [`http://10.0.0.${k}:2380`], is_learner: false }));
    const healthy = [1, 2].map((k) =>
      member(k, 500, {
        serving: true,
        healthy: true,
        key_count: 601,
        members,
        status: { cluster_id: 'C', member_id: String(k), leader: '1', revision: 500, raft_term: 3, raft_index: 29, version: '3.4.23' },
      }),
    );
    const d = decide({ members: healthy, unreachable: ['etcd3'], now });
    expect(d.action).toBe('none');
    const text = describeDecision(d);
    expect(text).toMatch(/unreachable: etcd3 — left in the membership/);
    expect(text).toMatch(/next step: when etcd3 is back, run this playbook again; .*replace-member\.yml .*-e member=etcd3/);
    expect(text).toMatch(/etcd1 +etcd1 +3\.4\.23 +healthy +500 +3 +29 +601/);
  });
});

describe('a recovery while members cannot be reached', () => {
  it('never says "no data lost": the unreachable members may hold newer data', () => {
    // (without the acceptance this recovery is refused: see decide.test.ts)
    const d = decide({ members: [member(1, 36)], unreachable: ['etcd2', 'etcd3'], now, acceptDataLoss: true });
    expect(d.action).toBe('recover');
    const text = describeDecision(d);
    expect(text).not.toMatch(/no data lost/);
    expect(text).toMatch(
      /etcd1 has the newest revision of the reachable members \(36\); etcd2, etcd3 could not be read: any change only they hold will be lost/,
    );
    // every member read: the promise holds
    expect(describeDecision(decide({ members: [member(1, 30), member(2, 36)], unreachable: [], now }))).toMatch(
      /no data lost: etcd2 has the newest revision seen \(36\)/,
    );
  });
});
