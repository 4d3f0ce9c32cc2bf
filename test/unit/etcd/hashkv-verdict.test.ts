// The HashKV comparison (etcd_hashkv, etcd_alarm's CORRUPT check): pure, from etcdctl's JSON.
import { describe, expect, it } from 'vitest';
import { describeVerdict, hashVerdict, type MemberHash } from '../../../src/modules/etcd/hashkv-verdict.js';
import { parseAlarms, parseEndpointStatus, parseHashKv, parseQuota } from '../../../src/modules/etcd/parse.js';

// captured from etcd 3.4.23: `etcdctl endpoint hashkv --rev=1 -w json`
const REAL =
  '[{"Endpoint":"http://127.0.0.1:2379","HashKV":{"header":{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":1,"raft_term":2},"hash":1084519789,"compact_revision":-1}}]';

const member = (name: string, hash: number, compactRevision = -1): MemberHash => ({
  name,
  endpoint: `http://${name}:2379`,
  hash,
  compactRevision,
});

describe('HashKV verdict', () => {
  it('parses etcdctl answers with 64-bit ids kept exact', () => {
    expect(parseHashKv(REAL)).toEqual([
      { endpoint: 'http://127.0.0.1:2379', memberId: '10276657743932975437', revision: 1, hash: 1084519789, compactRevision: -1 },
    ]);
  });
  it('agree when every hash is equal', () => {
    const v = hashVerdict([member('etcd1', 7), member('etcd2', 7), member('etcd3', 7)]);
    expect(v).toEqual({ kind: 'agree', hash: 7 });
    expect(describeVerdict(v, 42)).toBe('every member has HashKV 7 at revision 42');
  });
  it('a mismatch names the member outside the majority', () => {
    const v = hashVerdict([member('etcd1', 7), member('etcd2', 9), member('etcd3', 7)]);
    expect(v.kind).toBe('mismatch');
    if (v.kind !== 'mismatch') return;
    expect(v.odd.map((m) => m.name)).toEqual(['etcd2']);
    expect(v.majority).toBe(7);
    expect(describeVerdict(v, 42)).toBe('HashKV mismatch at revision 42: etcd2 disagrees with the majority (etcd1, etcd3: 7; etcd2: 9)');
  });
  it('no majority: every member is named', () => {
    const v = hashVerdict([member('etcd1', 1), member('etcd2', 2), member('etcd3', 3), member('etcd4', 3)]);
    expect(v.kind === 'mismatch' && v.majority === undefined && v.odd.length === 4).toBe(true);
    expect(describeVerdict(v, 5)).toMatch(/no majority/);
  });
  it('different compact revisions are not comparable (not a mismatch)', () => {
    const v = hashVerdict([member('etcd1', 1, 10), member('etcd2', 2, 12), member('etcd3', 1, 10)]);
    expect(v.kind).toBe('incomparable');
  });
});

describe('status, alarms and quota answers', () => {
  it('endpoint status: db size and size in use, alarms', () => {
    // captured from etcd 3.4.23 under NOSPACE
    const s = parseEndpointStatus(
      '[{"Endpoint":"http://127.0.0.1:2379","Status":{"header":{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":34,"raft_term":2},"version":"3.4.23","dbSize":2007040,"leader":10276657743932975437,"raftIndex":45,"raftTerm":2,"raftAppliedIndex":45,"errors":["memberID:10276657743932975437 alarm:NOSPACE "],"dbSizeInUse":1912832}}]',
    );
    expect(s).toMatchObject({ dbSize: 2007040, dbSizeInUse: 1912832, memberId: '10276657743932975437', leader: '10276657743932975437' });
    expect(s.errors[0]).toMatch(/alarm:NOSPACE/);
  });
  it('alarm list -w json: numbers become names; none is {}', () => {
    expect(parseAlarms('{"alarms":[{"memberID":10276657743932975437,"alarm":1}]}')).toEqual([
      { memberId: '10276657743932975437', alarm: 'NOSPACE' },
    ]);
    expect(parseAlarms('{"alarms":[{"memberID":1,"alarm":2}]}')[0]!.alarm).toBe('CORRUPT');
    expect(parseAlarms('{}')).toEqual([]);
  });
  it('the backend quota from /metrics', () => {
    expect(parseQuota('# TYPE etcd_server_quota_backend_bytes gauge\netcd_server_quota_backend_bytes 2e+06\n')).toBe(2_000_000);
    expect(parseQuota('nothing')).toBeUndefined();
  });
});

describe('compaction target', async () => {
  const { compactTarget } = await import('../../../src/modules/etcd/compact.js');
  it('current minus the retained window, unless already compacted there', () => {
    expect(compactTarget({ current: 100, compacted: -1 }, 10)).toBe(90);
    expect(compactTarget({ current: 100, compacted: 90 }, 10)).toBeUndefined();
    expect(compactTarget({ current: 100, compacted: 95 }, 10)).toBeUndefined();
    expect(compactTarget({ current: 5, compacted: -1 }, 10)).toBeUndefined();
    expect(compactTarget({ current: 100, compacted: 100 }, 0)).toBeUndefined();
  });
});
