// Members on different etcd versions (a rolling upgrade interrupted by the disaster): the plan
// shows each member's version and refuses what etcd would fail half-way (no downgrades).
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/modules/etcd/decide.js';
import { renderTable } from '../../../src/modules/etcd/recovery_plan.js';
import type { MemberFacts } from '../../../src/modules/etcd/facts-model.js';
import { newerMinor, snapshotTooNew } from '../../../src/modules/etcd/versions.js';

const now = new Date('2026-12-02T20:00:00Z');

function member(i: number, version: string, revision?: number): MemberFacts {
  return {
    host: `etcd${i}`,
    name: `etcd${i}`,
    client_url: `http://10.0.0.${i}:2379`,
    peer_url: `http://10.0.0.${i}:2380`,
    backup_dir: '/var/backups/etcd',
    serving: false,
    healthy: false,
    data: revision === undefined ? { exists: false, db: false } : { exists: true, db: true, revision },
    version,
    v2_enabled: false,
  };
}

describe('mixed versions', () => {
  it('compares major.minor only, and nothing unknown', () => {
    expect(newerMinor('3.5.30', '3.4.23')).toBe(true);
    expect(newerMinor('3.5.30', '3.5.16')).toBe(false);
    expect(newerMinor('3.4.23', '3.5.16')).toBe(false);
    expect(newerMinor('3.6.0', '3.5.30')).toBe(true);
    expect(newerMinor(undefined, '3.4.23')).toBe(false);
    expect(newerMinor('3.5.30', '')).toBe(false);
  });

  it("shows each member's version in the plan", () => {
    const d = decide({ members: [member(1, '3.5.30'), member(2, '3.4.23'), member(3, '3.4.23', 40)], unreachable: [], now });
    expect(d.action).toBe('recover');
    expect(d.table.map((r) => r.version)).toEqual(['3.5.30', '3.4.23', '3.4.23']);
    expect(renderTable(d.table).split('\n')[0]).toMatch(/^ +host +member +etcd +state/);
    expect(renderTable(d.table)).toMatch(/etcd1 +etcd1 +3\.5\.30 +not serving/);
  });

  it('a 3.4 survivor with 3.5 members to rejoin is an upgrade: recovered', () => {
    const d = decide({ members: [member(1, '3.5.30'), member(2, '3.4.23'), member(3, '3.4.23', 40)], unreachable: [], now });
    expect(d.action === 'recover' && d.survivor).toBe('etcd3');
  });

  it('a 3.5 survivor with 3.4 members is refused before anything is touched, in one line that names them', () => {
    for (const strategy of [undefined, 'restore-all', 'force-new-cluster'] as const) {
      const d = decide({ members: [member(1, '3.5.30', 40), member(2, '3.4.23'), member(3, '3.4.23')], unreachable: [], now, strategy });
      expect(d.action).toBe('refuse');
      expect(d.reason).toBe(
        'etcd1, the survivor, runs etcd 3.5.30 and etcd2 (3.4.23), etcd3 (3.4.23) run an older etcd: a 3.4 member can neither join a cluster restored by 3.5 nor restore its snapshot (etcd does not downgrade); upgrade etcd on etcd2, etcd3 to 3.5 and run again, or recover from a member on the older version (-e etcd_survivor=NAME)',
      );
      expect(d.reason).not.toContain('\n');
    }
  });

  it("a serving member's own version counts over its tools'", () => {
    const sv = {
      ...member(1, '3.4.23', 40),
      serving: true,
      status: { cluster_id: 'C', member_id: '1', leader: '0', revision: 40, raft_term: 2, raft_index: 9, version: '3.5.30' },
    };
    const d = decide({ members: [sv, member(2, '3.4.23')], unreachable: [], now });
    expect(d.action).toBe('refuse');
    expect(d.table[0]!.version).toBe('3.5.30');
  });

  it('refuses to restore a 3.5 snapshot with 3.4 tools; 3.4 snapshots restore anywhere newer', () => {
    expect(snapshotTooNew('/b/s.db', '3.5.30', [3, 4], 'etcd2', '/usr/bin/etcdctl')).toBe(
      'refusing to restore /b/s.db on etcd2: it was saved from etcd 3.5.30 and /usr/bin/etcdctl here is etcd 3.4 (etcd does not downgrade): restore it with 3.5 tools (etcdctl_path/etcdutl_path) or upgrade etcd on etcd2 first',
    );
    expect(snapshotTooNew('/b/s.db', '3.4.23', [3, 5], 'etcd2', 'etcdutl')).toBeUndefined();
    expect(snapshotTooNew('/b/s.db', '3.5.16', [3, 5], 'etcd2', 'etcdutl')).toBeUndefined();
    expect(snapshotTooNew('/b/s.db', undefined, [3, 4], 'etcd2', 'etcdctl')).toBeUndefined(); // a sidecar from before versions were recorded
  });
});
