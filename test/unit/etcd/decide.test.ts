// The recovery decision: pure logic over members' facts (no I/O to fake).
import { describe, expect, it } from 'vitest';
import { decide, rankSurvivors } from '../../../src/modules/etcd/decide.js';
import type { MemberFacts, RecoveryRecord } from '../../../src/modules/etcd/facts-model.js';

const now = new Date('2026-11-23T10:00:00Z');

function member(i: number, over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    host: `etcd${i}`,
    name: `etcd${i}`,
    client_url: `http://10.0.0.${i}:2379`,
    peer_url: `http://10.0.0.${i}:2380`,
    backup_dir: '/var/backups/etcd',
    serving: false,
    healthy: false,
    data: { exists: true, db: true, revision: 100 },
    version: '3.4.23',
    v2_enabled: false,
    ...over,
  };
}

const status = (rev: number, term = 2, index = 10, cluster = 'C1', id = '1', leader = '1') => ({
  cluster_id: cluster,
  member_id: id,
  leader,
  revision: rev,
  raft_term: term,
  raft_index: index,
  version: '3.4.23',
});

function healthyCluster(n: number): MemberFacts[] {
  const members = Array.from({ length: n }, (_, k) => ({
    id: String(k + 1),
    name: `etcd${k + 1}`,
    peer_urls: [`http://10.0.0.${k + 1}:2380`],
    is_learner: false,
  }));
  return members.map((m, k) => member(k + 1, { serving: true, healthy: true, status: status(500, 2, 10, 'C1', m.id, '1'), members }));
}

describe('decide', () => {
  it('a healthy cluster with every reachable member: nothing to do', () => {
    const d = decide({ members: healthyCluster(3), unreachable: [], now });
    expect(d.action).toBe('none');
  });

  it('quorum but a member missing from the membership: rejoin only that one', () => {
    const ms = healthyCluster(3);
    const lost = member(3, { serving: false, healthy: false, data: { exists: false, db: false } });
    const d = decide({ members: [ms[0]!, ms[1]!, lost], unreachable: [], now });
    expect(d.action).toBe('rejoin');
    if (d.action === 'rejoin') {
      expect(d.join).toEqual(['etcd3']);
      expect(d.survivor).toBe('etcd1'); // the leader answers member operations
    }
  });

  it('no quorum: the newest data wins, with every revision side by side', () => {
    const d = decide({
      members: [
        member(1, { data: { exists: true, db: true, revision: 90 } }),
        member(2, { data: { exists: true, db: true, revision: 120 } }),
        member(3, { data: { exists: false, db: false } }),
      ],
      unreachable: [],
      now,
    });
    expect(d.action).toBe('recover');
    if (d.action !== 'recover') return;
    expect(d.survivor).toBe('etcd2');
    expect(d.reason).toBe('etcd2 has the newest data: revision 120 (etcd1 90)');
    expect(d.table.map((r) => [r.host, r.revision, r.state])).toEqual([
      ['etcd1', 90, 'not serving'],
      ['etcd2', 120, 'not serving'],
      ['etcd3', null, 'not serving, no data dir'],
    ]);
    expect(d.join).toEqual(['etcd1', 'etcd3']);
    expect(d.record).toMatchObject({
      survivor: 'etcd2',
      state: 'in-progress',
      strategy: 'rejoin',
      snapshot: '/var/backups/etcd/etcd-20261123T100000Z.db',
      token: 'etcd-recovery-20261123T100000Z',
    });
  });

  it('a running member without quorum counts by its live revision; ties go to raft term then index, then inventory order', () => {
    const a = member(1, { serving: true, status: status(200, 3, 50) });
    const b = member(2, { serving: true, status: status(200, 4, 40) });
    const c = member(3, { serving: true, status: status(200, 4, 45) });
    expect(rankSurvivors([a, b, c]).map((m) => m.host)).toEqual(['etcd3', 'etcd2', 'etcd1']);
    const same = [
      member(1, { data: { exists: true, db: true, revision: 7 } }),
      member(2, { data: { exists: true, db: true, revision: 7 } }),
    ];
    expect(rankSurvivors(same).map((m) => m.host)).toEqual(['etcd1', 'etcd2']);
  });

  it('a stale stopped member loses to a newer stopped one', () => {
    const d = decide({
      members: [
        member(1, { data: { exists: true, db: true, revision: 1000 } }),
        member(2, { data: { exists: true, db: true, revision: 6000 } }),
      ],
      unreachable: [],
      now,
    });
    expect(d.action === 'recover' && d.survivor).toBe('etcd2');
  });

  it('an unreadable db is not a candidate', () => {
    const d = decide({
      members: [
        member(1, { data: { exists: true, db: true, revision: 999, error: 'corrupt' } }),
        member(2, { data: { exists: true, db: true, revision: 5 } }),
      ],
      unreachable: [],
      now,
    });
    expect(d.action === 'recover' && d.survivor).toBe('etcd2');
  });

  it('the operator can force the survivor; a forced member without data is refused', () => {
    const ms = [
      member(1, { data: { exists: true, db: true, revision: 120 } }),
      member(2, { data: { exists: true, db: true, revision: 120 } }),
      member(3, { data: { exists: false, db: false } }),
    ];
    const d = decide({ members: ms, unreachable: [], now, force: 'etcd2' });
    expect(d.action === 'recover' && d.survivor).toBe('etcd2');
    expect(d.reason).toMatch(/chosen by the operator/);
    expect(d.action === 'recover' && d.loss).toBe(undefined);
    const bad = decide({ members: ms, unreachable: [], now, force: 'etcd3' });
    expect(bad.action).toBe('refuse');
    expect(bad.reason).toMatch(/no data/);
    expect(decide({ members: ms, unreachable: [], now, force: 'nope' }).action).toBe('refuse');
  });

  it('a forced survivor behind the newest member is refused naming both and the revisions, unless the loss is accepted', () => {
    const ms = [
      member(1, { data: { exists: true, db: true, revision: 359 } }),
      member(2, { data: { exists: true, db: true, revision: 365 } }),
      member(3, { data: { exists: true, db: true, revision: 365 } }),
    ];
    const refused = decide({ members: ms, unreachable: [], now, force: 'etcd1' });
    expect(refused.action).toBe('refuse');
    expect(refused.reason).toContain(
      'etcd1 is 6 revisions behind etcd2/etcd3 (revision 359; newest 365): the changes after revision 359 would be lost',
    );
    expect(refused.reason).toContain('etcd_accept_data_loss=true');
    const accepted = decide({ members: ms, unreachable: [], now, force: 'etcd1', acceptDataLoss: true });
    expect(accepted.action).toBe('recover');
    if (accepted.action !== 'recover') return;
    expect(accepted.survivor).toBe('etcd1');
    expect(accepted.loss).toMatchObject({ revisions: 6, survivor_revision: 359, newest: { revision: 365, hosts: ['etcd2', 'etcd3'] } });
    expect(accepted.record).toMatchObject({
      newest_revision: 365,
      survivor_revision: 359,
      accepted_loss: { revisions: 6, from_revision: 359, newest_revision: 365 },
    });
    // the newest member chosen by itself: nothing given up, but the newest revision is recorded for verify
    const auto = decide({ members: ms, unreachable: [], now });
    expect(auto.action === 'recover' && auto.loss).toBe(undefined);
    expect(auto.action === 'recover' && auto.record.newest_revision).toBe(365);
  });

  it('no member with data: refuse rather than build an empty cluster', () => {
    const d = decide({
      members: [member(1, { data: { exists: false, db: false } }), member(2, { data: { exists: true, db: false } })],
      unreachable: [],
      now,
    });
    expect(d.action).toBe('refuse');
    expect(d.reason).toMatch(/no reachable member has data/);
  });

  it('a recovery in progress is continued, not re-decided from half-restored data', () => {
    const record: RecoveryRecord = {
      id: 'R1',
      started: '2026-11-23T09:00:00.000Z',
      strategy: 'rejoin',
      survivor: 'etcd1',
      token: 'etcd-recovery-R1',
      snapshot: '/b/etcd-R1.db',
      members: ['etcd1'],
      state: 'in-progress',
    };
    const ms = [member(1, { data: { exists: false, db: false }, record }), member(2, { data: { exists: true, db: true, revision: 9999 } })];
    const d = decide({ members: ms, unreachable: [], now });
    expect(d.action).toBe('recover');
    if (d.action !== 'recover') return;
    expect(d.continuing).toBe(true);
    expect(d.survivor).toBe('etcd1');
    expect(d.record).toBe(record);
  });

  it('a recovery in progress whose survivor is unreachable is refused with the way out', () => {
    const record: RecoveryRecord = {
      id: 'R1',
      started: '2026-11-23T09:00:00.000Z',
      strategy: 'rejoin',
      survivor: 'etcd9',
      token: 't',
      snapshot: '/b/x.db',
      members: ['etcd9'],
      state: 'in-progress',
    };
    const d = decide({ members: [member(1, { record })], unreachable: ['etcd9'], now });
    expect(d.action).toBe('refuse');
    expect(d.reason).toMatch(/etcd9.*cannot be reached.*etcd_survivor/);
  });

  it('a complete record is history, not a recovery to continue', () => {
    const record: RecoveryRecord = {
      id: 'R0',
      started: '2026-01-01T00:00:00.000Z',
      strategy: 'rejoin',
      survivor: 'etcd1',
      token: 't',
      snapshot: '/b/x.db',
      members: ['etcd1'],
      state: 'complete',
    };
    const d = decide({
      members: [
        member(1, { record, data: { exists: true, db: true, revision: 1 } }),
        member(2, { data: { exists: true, db: true, revision: 2 } }),
      ],
      unreachable: [],
      now,
    });
    expect(d.action === 'recover' && d.survivor).toBe('etcd2');
  });

  it('v2 data makes force-new-cluster the default and refuses a snapshot strategy unless allowed', () => {
    const ms = [member(1, { v2_enabled: true }), member(2)];
    const d = decide({ members: ms, unreachable: [], now });
    expect(d.action === 'recover' && d.strategy).toBe('force-new-cluster');
    const refused = decide({ members: ms, unreachable: [], now, strategy: 'restore-all' });
    expect(refused.action).toBe('refuse');
    expect(refused.reason).toMatch(/would lose every v2 key/);
    expect(decide({ members: ms, unreachable: [], now, strategy: 'restore-all', allowV2Loss: true }).action).toBe('recover');
    expect(decide({ members: [member(1)], unreachable: [], now, v2Data: true }).action === 'recover').toBe(true);
  });

  it('restore-all puts every reachable member in the new membership', () => {
    const d = decide({ members: [member(1), member(2), member(3)], unreachable: ['etcd4'], now, strategy: 'restore-all' });
    expect(d.action === 'recover' && d.record.members).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(d.unreachable).toEqual(['etcd4']);
  });

  it('members that could not be reached may hold newer data: refused unless the loss is accepted', () => {
    // etcd1 read (stale), etcd2 and etcd3 unreachable: a write committed on etcd2+etcd3 is unseen
    const refused = decide({
      members: [member(1, { data: { exists: true, db: true, revision: 34 } })],
      unreachable: ['etcd2', 'etcd3'],
      now,
    });
    expect(refused.action).toBe('refuse');
    expect(refused.reason).toMatch(
      /etcd2, etcd3 could not be reached and may hold newer data than etcd1 \(revision 34\).*etcd_accept_data_loss=true/,
    );
    const accepted = decide({
      members: [member(1, { data: { exists: true, db: true, revision: 34 } })],
      unreachable: ['etcd2', 'etcd3'],
      now,
      acceptDataLoss: true,
    });
    expect(accepted.action).toBe('recover');
    expect(accepted.reason).toMatch(/etcd2, etcd3 could not be read \(loss accepted/);
    // the data of 3 of 6 members read: every committed write (on 4) is on one of them
    const six = decide({ members: [member(1), member(2), member(3)], unreachable: ['etcd4', 'etcd5', 'etcd6'], now });
    expect(six.action).toBe('recover');
    // members reached without data lost it: nothing unseen to wait for
    const lost = decide({
      members: [member(1), member(2, { data: { exists: false, db: false } }), member(3, { data: { exists: false, db: false } })],
      unreachable: [],
      now,
    });
    expect(lost.action).toBe('recover');
  });
});
