// What changes between etcd 3.4, 3.5 and 3.6 for the command builders and the env file
// (3.4.23, 3.5.16 and 3.5.30 also run for real in the e2e matrix; 3.6 only here).
import { describe, expect, it } from 'vitest';
import { offersBumpRevision, restoreHelp, snapshotRestore, snapshotStatus, v2List, type EtcdTools } from '../../../src/modules/etcd/etcdctl.js';
import { envFlags, noV2, parseEnvFile } from '../../../src/modules/etcd/env-flags.js';

const tools = (v: [number, number]): EtcdTools => ({ version: v, etcdctl: '/opt/etcd/etcdctl', etcdutl: '/opt/etcd/etcdutl' });
const spec = { snapshot: '/b/s.db', name: 'etcd1', peerUrl: 'http://10.0.0.1:2380', initialCluster: 'etcd1=http://10.0.0.1:2380', token: 'T', dataDir: '/var/lib/etcd', skipHashCheck: false };

describe('3.6 on paper', () => {
  it('never uses etcdctl for snapshot files (removed there)', () => {
    expect(snapshotRestore(tools([3, 6]), spec)[0]).toBe('/opt/etcd/etcdutl');
    expect(snapshotStatus(tools([3, 6]), '/b/s.db')[0]).toBe('/opt/etcd/etcdutl');
    expect(restoreHelp(tools([3, 6]))).toEqual(['/opt/etcd/etcdutl', 'snapshot', 'restore', '--help']);
  });
  it('has no v2 listing; 3.4 and 3.5 do', () => {
    expect(v2List(tools([3, 6]), 'http://a:2379')).toBeUndefined();
    expect(v2List(tools([3, 5]), 'http://a:2379')).toContain('ETCDCTL_API=2');
    expect(noV2('3.6.0')).toBe(true);
    expect(noV2('3.5.30')).toBe(false);
    expect(noV2('4.0.0')).toBe(true);
  });
});

describe('Kubernetes-safe restore', () => {
  it('bumps and marks compacted with etcdutl only', () => {
    expect(snapshotRestore(tools([3, 5]), { ...spec, bumpRevision: 1_000_000_000 }).slice(-2)).toEqual(['--bump-revision=1000000000', '--mark-compacted']);
    expect(snapshotRestore(tools([3, 4]), { ...spec, bumpRevision: 1_000_000_000 })).not.toContain('--mark-compacted');
    expect(snapshotRestore(tools([3, 5]), { ...spec, bumpRevision: 0 })).not.toContain('--mark-compacted');
  });
  it('reads the offer from --help (3.5.16 text) and not from a 3.4 etcdctl', () => {
    expect(offersBumpRevision('      --bump-revision uint   How much to increase the latest revision after restore\n      --mark-compacted   Mark the latest revision')).toBe(true);
    expect(offersBumpRevision('      --skip-hash-check   Ignore snapshot integrity hash value')).toBe(false);
  });
});

describe('env file flags', () => {
  it('parses as sh would: export, quotes, the last one wins', () => {
    const env = parseEnvFile('# c\nexport ETCD_NAME="a"\nETCD_NAME=b\nETCD_X = \'y z\'\nnot a var\n');
    expect(Object.fromEntries(env)).toEqual({ ETCD_NAME: 'b', ETCD_X: 'y z' });
  });
  it('3.5 corruption checks and what 3.6 renamed', () => {
    const f = envFlags('ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK=true\nETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME=5m\nETCD_ENABLE_V2=true\n');
    expect(f).toEqual({
      initial_corrupt_check: true,
      corrupt_check_time: '5m',
      v2_enabled: true,
      renamed_in_3_6: ['ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK → ETCD_FEATURE_GATES=InitialCorruptCheck=…', 'ETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME → ETCD_CORRUPT_CHECK_TIME'],
    });
  });
  it('3.6 names: feature gates and the plain variable', () => {
    const f = envFlags('ETCD_FEATURE_GATES=CompactHashCheck=false,InitialCorruptCheck=true\nETCD_CORRUPT_CHECK_TIME=1m\n');
    expect(f).toEqual({ initial_corrupt_check: true, corrupt_check_time: '1m', v2_enabled: false, renamed_in_3_6: [] });
    expect(envFlags('ETCD_FEATURE_GATES=InitialCorruptCheck=false\n').initial_corrupt_check).toBe(false);
  });
});
