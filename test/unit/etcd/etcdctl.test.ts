// Command building per etcd version and parsing of etcdctl's JSON (samples from etcd 3.4.23).
import { describe, expect, it } from 'vitest';
import {
  fileTool,
  hexId,
  parseEtcdJson,
  parseVersion,
  snapshotRestore,
  snapshotStatus,
  memberAdd,
  endpointStatus,
  type EtcdTools,
} from '../../../src/modules/etcd/etcdctl.js';
import {
  parseCount,
  parseEndpointStatus,
  parseEndpointStatuses,
  parseHealth,
  parseHealths,
  parseMembers,
  parseSnapshotStatus,
  etcdError,
} from '../../../src/modules/etcd/parse.js';

const tools = (v: [number, number], tls?: EtcdTools['tls']): EtcdTools => ({
  version: v,
  etcdctl: '/usr/bin/etcdctl',
  etcdutl: '/usr/bin/etcdutl',
  tls,
});
const spec = {
  snapshot: '/b/s.db',
  name: 'etcd1',
  peerUrl: 'http://10.0.0.1:2380',
  initialCluster: 'etcd1=http://10.0.0.1:2380',
  token: 'T',
  dataDir: '/var/lib/etcd',
  skipHashCheck: true,
};

describe('etcdctl commands by version', () => {
  it('3.4 restores and reads snapshots with etcdctl', () => {
    expect(fileTool(tools([3, 4]))).toBe('etcdctl');
    expect(snapshotRestore(tools([3, 4]), spec)).toEqual([
      '/usr/bin/etcdctl',
      'snapshot',
      'restore',
      '/b/s.db',
      '--name=etcd1',
      '--initial-cluster=etcd1=http://10.0.0.1:2380',
      '--initial-cluster-token=T',
      '--initial-advertise-peer-urls=http://10.0.0.1:2380',
      '--data-dir=/var/lib/etcd',
      '--skip-hash-check',
    ]);
    expect(snapshotStatus(tools([3, 4]), '/b/s.db')[0]).toBe('/usr/bin/etcdctl');
  });
  it('3.5 and 3.6 use etcdutl for file work', () => {
    for (const v of [
      [3, 5],
      [3, 6],
    ] as [number, number][]) {
      expect(snapshotRestore(tools(v), { ...spec, skipHashCheck: false })).toEqual([
        '/usr/bin/etcdutl',
        'snapshot',
        'restore',
        '/b/s.db',
        '--name=etcd1',
        '--initial-cluster=etcd1=http://10.0.0.1:2380',
        '--initial-cluster-token=T',
        '--initial-advertise-peer-urls=http://10.0.0.1:2380',
        '--data-dir=/var/lib/etcd',
      ]);
      expect(snapshotStatus(tools(v), '/b/s.db')).toEqual(['/usr/bin/etcdutl', 'snapshot', 'status', '/b/s.db', '-w', 'json']);
    }
  });
  it('TLS flags and learners', () => {
    const t = tools([3, 4], { cacert: '/ca.pem', cert: '/c.pem', key: '/k.pem' });
    expect(endpointStatus(t, 'https://a:2379')).toEqual([
      '/usr/bin/etcdctl',
      '--endpoints=https://a:2379',
      '--cacert=/ca.pem',
      '--cert=/c.pem',
      '--key=/k.pem',
      '--dial-timeout=1s',
      '--command-timeout=2s',
      'endpoint',
      'status',
      '-w',
      'json',
    ]);
    expect(memberAdd(t, ['https://a:2379'], 'etcd2', 'https://b:2380', true)).toContain('--learner');
  });
  it('versions and ids', () => {
    expect(parseVersion('etcdctl version: 3.4.23\nAPI version: 3.4')).toEqual([3, 4]);
    expect(parseVersion('etcdctl version: 3.6.0')).toEqual([3, 6]);
    expect(parseVersion('bash: etcdctl: not found')).toBeUndefined();
    expect(hexId('6615197281757189656')).toBe('5bcde6e102445618');
  });
});

describe('parsing etcdctl JSON keeps 64-bit ids exact', () => {
  const status =
    '[{"Endpoint":"http://127.0.70.1:2379","Status":{"header":{"cluster_id":11919772869448665384,"member_id":6615197281757189656,"revision":3,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":6615197281757189656,"raftIndex":6,"raftTerm":2,"raftAppliedIndex":6,"dbSizeInUse":16384}}]';
  it('endpoint status', () => {
    expect(parseEndpointStatus(status)).toEqual({
      clusterId: '11919772869448665384',
      memberId: '6615197281757189656',
      leader: '6615197281757189656',
      revision: 3,
      raftTerm: 2,
      raftIndex: 6,
      version: '3.4.23',
      dbSize: 20480,
      dbSizeInUse: 16384,
      errors: [],
    });
  });
  it('several endpoints: status and health by endpoint (verify asks them all at once)', () => {
    const two = status.replace(
      /\]$/,
      ',' + status.slice(1, -1).replace('127.0.70.1', '127.0.70.2').replace('"revision":3', '"revision":4') + ']',
    );
    const st = parseEndpointStatuses(two);
    expect([...st.keys()]).toEqual(['http://127.0.70.1:2379', 'http://127.0.70.2:2379']);
    expect(st.get('http://127.0.70.2:2379')).toMatchObject({ clusterId: '11919772869448665384', revision: 4 });
    const h = parseHealths(
      '[{"endpoint":"http://127.0.70.1:2379","health":true,"took":"1.49ms"},{"endpoint":"http://127.0.70.2:2379","health":false,"took":"5s","error":"context deadline exceeded"}]',
    );
    expect(h.get('http://127.0.70.1:2379')).toEqual({ healthy: true });
    expect(h.get('http://127.0.70.2:2379')).toEqual({ healthy: false, error: 'context deadline exceeded' });
  });
  it('member list, health, snapshot status, count', () => {
    const ml =
      '{"header":{"cluster_id":11919772869448665384,"member_id":6615197281757189656,"raft_term":2},"members":[{"ID":6615197281757189656,"name":"t1","peerURLs":["http://127.0.70.1:2380"],"clientURLs":["http://127.0.70.1:2379"]},{"ID":1234567890123456789,"peerURLs":["http://127.0.70.2:2380"],"isLearner":true}]}';
    expect(parseMembers(ml).members).toEqual([
      {
        id: '6615197281757189656',
        name: 't1',
        peerUrls: ['http://127.0.70.1:2380'],
        clientUrls: ['http://127.0.70.1:2379'],
        isLearner: false,
      },
      { id: '1234567890123456789', name: '', peerUrls: ['http://127.0.70.2:2380'], clientUrls: [], isLearner: true },
    ]);
    expect(parseHealth('[{"endpoint":"http://127.0.70.1:2379","health":true,"took":"1.49ms"}]')).toEqual({ healthy: true });
    expect(parseSnapshotStatus('{"hash":2236727780,"revision":3,"totalKey":6,"totalSize":20480}')).toEqual({
      hash: 2236727780,
      revision: 3,
      totalKey: 6,
      totalSize: 20480,
    });
    expect(
      parseCount(
        '{"header":{"cluster_id":11919772869448665384,"member_id":6615197281757189656,"revision":3,"raft_term":2},"kvs":[{"key":"YQ==","create_revision":2,"mod_revision":2,"version":1}],"more":true,"count":2}',
      ),
    ).toBe(2);
    expect(parseEtcdJson('{"level":"info","msg":"x"}\n[1]')).toEqual([1]);
    expect(etcdError('{"level":"warn","msg":"x"}\nError: context deadline exceeded\n')).toBe('context deadline exceeded');
    // etcdctl 3.4 `snapshot status` of a db cut at 8 KiB (real stderr, shortened): the runtime dies
    const fault = [
      'unexpected fault address 0x7f71ad4de000',
      'fatal error: fault',
      '[signal SIGBUS: bus error code=0x2 addr=0x7f71ad4de000 pc=0x8f1975]',
      '',
      'goroutine 1 [running]:',
      'runtime.throw({0xd50468?, 0x0?})',
      '\truntime/panic.go:1047 +0x5d fp=0xc0001a5 sp=0xc0001a5 pc=0x43',
      'go.etcd.io/bbolt.(*DB).meta(...)',
      '\tgo.etcd.io/bbolt/db.go:1054 +0x1ea',
    ].join('\n');
    expect(etcdError(fault)).toBe('fault, SIGBUS');
    // a stack without a panic line: the last line that is not a frame
    expect(etcdError('something broke\ngoroutine 1 [running]:\nmain.main()\n\tmain.go:12 +0x1ea\n')).toBe('something broke');
  });
});
