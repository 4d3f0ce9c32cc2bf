// A stopped member's WAL replayed (replay.ts): the decision ranks and saves by what it really
// holds, and never gives up what only its WAL holds without a number-less "yes".
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/modules/etcd/decide.js';
import { describeDecision } from '../../../src/modules/etcd/recovery_plan.js';
import { etcdBinary } from '../../../src/modules/etcd/replay.js';
import type { MemberFacts } from '../../../src/modules/etcd/facts-model.js';

const now = new Date('2026-12-02T20:00:00Z');
const wal = { segment: '0000000000000000-0000000000000000.wal', last_term: 2, last_index: 140, hard_term: 2, commit: 137, snap_index: 0 };

function stopped(i: number, db: number, replayed?: MemberFacts['data']['replayed']): MemberFacts {
  return {
    host: `etcd${i}`,
    name: `etcd${i}`,
    client_url: `http://10.0.0.${i}:2379`,
    peer_url: `http://10.0.0.${i}:2380`,
    backup_dir: '/var/backups/etcd',
    serving: false,
    healthy: false,
    data: { exists: true, db: true, revision: db, ...(replayed ? { replayed } : {}) },
    wal,
    version: '3.4.23',
    v2_enabled: false,
    ...(replayed?.key_count !== undefined ? { key_count: replayed.key_count } : {}),
  };
}
const gone = (i: number): MemberFacts => ({ ...stopped(i, 0), data: { exists: false, db: false } });

describe('WAL ahead of the db', () => {
  it("ranks by the replayed revision, not the db's, and says what only the WAL held", () => {
    const d = decide({
      members: [
        stopped(1, 119, { revision: 121, raft_index: 140, key_count: 1111 }),
        stopped(2, 120, { revision: 120, raft_index: 139, key_count: 1110 }),
        gone(3),
      ],
      unreachable: [],
      now,
    });
    expect(d.action === 'recover' && d.survivor).toBe('etcd1');
    expect(d.table[0]).toMatchObject({ revision: 121, source: 'WAL replayed (db alone: revision 119)' });
    expect(describeDecision(d)).toContain(
      'etcd1 is stopped: saved from its WAL replayed (a copy started once with --force-new-cluster), revision 121: 2 revisions only its WAL held (a copy of its db would have lost them)',
    );
    expect(d.action === 'recover' && d.record.survivor_key_count).toBe(1111);
  });

  it('a WAL that could not be replayed: refused with what a copy of the db gives up, unless accepted', () => {
    const failedReplay = stopped(1, 119, { error: 'replaying the WAL of /var/lib/etcd failed: etcd: not found' });
    const d = decide({ members: [failedReplay, gone(2), gone(3)], unreachable: [], now });
    expect(d.action).toBe('refuse');
    expect(d.reason).toBe(
      "etcd1 is stopped and its WAL was not replayed (replaying the WAL of /var/lib/etcd failed: etcd: not found): a copy of its db (revision 119) gives up every entry its WAL holds beyond the db (the WAL reaches raft index 140, commit 137; how many revisions that is, only the replay can tell). Make the replay work (etcd_path: the member's etcd binary) and run again, or accept the loss with -e etcd_accept_data_loss=true",
    );
    const off = decide({ members: [stopped(1, 119), gone(2)], unreachable: [], now });
    expect(off.action === 'refuse' && off.reason).toMatch(/the replay is turned off \(etcd_replay_wal=false\)/);
    const ok = decide({ members: [failedReplay, gone(2), gone(3)], unreachable: [], now, acceptDataLoss: true });
    expect(ok.action).toBe('recover');
    if (ok.action !== 'recover') return;
    expect(ok.record.wal_not_replayed).toMatch(/^etcd1 is stopped and its WAL was not replayed/);
    expect(describeDecision(ok)).toMatch(/DATA LOSS ACCEPTED \(etcd_accept_data_loss\): etcd1 is stopped and its WAL was not replayed/);
  });

  it('the etcd binary: etcd_path, else beside etcdctl_path, else on the PATH', () => {
    const t = (etcdctl: string) => ({ version: [3, 5] as const, etcdctl, etcdutl: 'etcdutl' });
    expect(etcdBinary('/opt/e/etcd', t('/x/etcdctl'))).toBe('/opt/e/etcd');
    expect(etcdBinary(undefined, t('/opt/etcd-3.5.30/usr/bin/etcdctl'))).toBe('/opt/etcd-3.5.30/usr/bin/etcd');
    expect(etcdBinary(undefined, t('etcdctl'))).toBe('etcd');
  });
});
