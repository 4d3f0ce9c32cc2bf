// The health verdict (pure): unreachable, unhealthy, alarms, expired or expiring certificates,
// cluster ID disagreement.
import { describe, expect, it } from 'vitest';
import { healthReport } from '../../../src/modules/etcd/health_report.js';
import type { MemberStatus } from '../../../src/modules/etcd/status.js';

const m = (name: string, o: { [K in keyof MemberStatus]?: MemberStatus[K] | undefined } = {}): MemberStatus =>
  ({
    host: name,
    name,
    serving: true,
    healthy: true,
    version: '3.4.23',
    db_size: 20480,
    is_leader: name === 'etcd1',
    raft_index: 10,
    cluster_id: 'C',
    alarms: [],
    ...o,
  }) as MemberStatus;

describe('healthReport', () => {
  it('a healthy cluster has no problems; a certificate expiring soon is a warning', () => {
    const r = healthReport([m('etcd1', { cert_days_left: 12 }), m('etcd2', { cert_days_left: 200 })], ['etcd1', 'etcd2'], 30);
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual(["etcd1's certificate expires in 12 days"]);
    expect(r.table.split('\n')[1]).toMatch(/^etcd1\s+healthy\s+leader\s+3\.4\.23\s+20 KiB\s+10\s+-\s+12$/);
  });
  it('names every problem', () => {
    const r = healthReport(
      [
        m('etcd1', { alarms: ['NOSPACE'] }),
        m('etcd2', { healthy: false, serving: false, error: 'nothing listens on its client port', cluster_id: undefined }),
        m('etcd3', { cert_days_left: -3, cluster_id: 'D' }),
      ],
      ['etcd1', 'etcd2', 'etcd3', 'etcd4'],
      30,
    );
    expect(r.problems).toEqual([
      'etcd4 is unreachable',
      'etcd1 raises alarm NOSPACE',
      'etcd2 is not healthy (nothing listens on its client port)',
      "etcd3's certificate expired 3 days ago",
      'members disagree on the cluster ID (C, D)',
    ]);
    // each problem on the member it is about; the cluster's own apart
    expect(r.hostProblems).toEqual({
      etcd4: ['etcd4 is unreachable'],
      etcd1: ['etcd1 raises alarm NOSPACE'],
      etcd2: ['etcd2 is not healthy (nothing listens on its client port)'],
      etcd3: ["etcd3's certificate expired 3 days ago"],
    });
    expect(r.clusterProblems).toEqual(['members disagree on the cluster ID (C, D)']);
  });
});
