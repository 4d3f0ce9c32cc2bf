// What changes between etcd 3.4, 3.5 and 3.6 for the command builders and the env file
// (3.4.23, 3.5.16 and 3.5.30 also run for real in the e2e matrix; 3.6 only here).
import { describe, expect, it } from 'vitest';
import {
  offersBumpRevision,
  restoreHelp,
  snapshotRestore,
  snapshotStatus,
  v2List,
  type EtcdTools,
} from '../../../src/modules/etcd/etcdctl.js';
import { envFlags, manifestEnvFlags, noV2, parseEnvFile } from '../../../src/modules/etcd/env-flags.js';
import { flagsOf } from '../../../src/core/static-pod-manifest.js';
import { decide } from '../../../src/modules/etcd/decide.js';
import type { MemberFacts } from '../../../src/modules/etcd/facts-model.js';

const tools = (v: [number, number]): EtcdTools => ({ version: v, etcdctl: '/opt/etcd/etcdctl', etcdutl: '/opt/etcd/etcdutl' });
const spec = {
  snapshot: '/b/s.db',
  name: 'etcd1',
  peerUrl: 'http://10.0.0.1:2380',
  initialCluster: 'etcd1=http://10.0.0.1:2380',
  token: 'T',
  dataDir: '/var/lib/etcd',
  skipHashCheck: false,
};

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
    expect(snapshotRestore(tools([3, 5]), { ...spec, bumpRevision: 1_000_000_000 }).slice(-2)).toEqual([
      '--bump-revision=1000000000',
      '--mark-compacted',
    ]);
    expect(snapshotRestore(tools([3, 4]), { ...spec, bumpRevision: 1_000_000_000 })).not.toContain('--mark-compacted');
    expect(snapshotRestore(tools([3, 5]), { ...spec, bumpRevision: 0 })).not.toContain('--mark-compacted');
  });
  it('reads the offer from --help (3.5.16 text) and not from a 3.4 etcdctl', () => {
    expect(
      offersBumpRevision(
        '      --bump-revision uint   How much to increase the latest revision after restore\n      --mark-compacted   Mark the latest revision',
      ),
    ).toBe(true);
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
      renamed_in_3_6: [
        'ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK → ETCD_FEATURE_GATES=InitialCorruptCheck=…',
        'ETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME → ETCD_CORRUPT_CHECK_TIME',
      ],
    });
  });
  it('3.6 names: feature gates and the plain variable', () => {
    const f = envFlags('ETCD_FEATURE_GATES=CompactHashCheck=false,InitialCorruptCheck=true\nETCD_CORRUPT_CHECK_TIME=1m\n');
    expect(f).toEqual({ initial_corrupt_check: true, corrupt_check_time: '1m', v2_enabled: false, renamed_in_3_6: [] });
    expect(envFlags('ETCD_FEATURE_GATES=InitialCorruptCheck=false\n').initial_corrupt_check).toBe(false);
  });
  it('a static pod: its manifest flags read as the env file would be (a bare --enable-v2 is true)', () => {
    const f = manifestEnvFlags(
      flagsOf(['etcd', '--enable-v2', '--experimental-initial-corrupt-check=true', '--experimental-corrupt-check-time=5m', '--name=a']),
    );
    expect(f).toEqual({
      initial_corrupt_check: true,
      corrupt_check_time: '5m',
      v2_enabled: true,
      renamed_in_3_6: [
        'ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK → ETCD_FEATURE_GATES=InitialCorruptCheck=…',
        'ETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME → ETCD_CORRUPT_CHECK_TIME',
      ],
    });
    expect(manifestEnvFlags(flagsOf(['etcd', '--enable-v2=false'])).v2_enabled).toBe(false);
  });
});

describe('v2 on 3.6: gone, and the decision says so', () => {
  const m = (i: number, version: string, over: Partial<MemberFacts> = {}): MemberFacts => ({
    host: `etcd${i}`,
    name: `etcd${i}`,
    client_url: `http://10.0.0.${i}:2379`,
    peer_url: `http://10.0.0.${i}:2380`,
    backup_dir: '/b',
    serving: false,
    healthy: false,
    data: { exists: true, db: true, revision: 50 + i },
    version,
    v2_enabled: true,
    ...over,
  });
  const now = new Date('2026-12-02T20:00:00Z');

  it('ETCD_ENABLE_V2 on 3.5 picks force-new-cluster; on 3.6 it does not: no v2 store there', () => {
    const on35 = decide({ members: [m(1, '3.5.30')], unreachable: [], now });
    expect(on35.action === 'recover' && on35.strategy).toBe('force-new-cluster');
    const on36 = decide({ members: [m(1, '3.6.6')], unreachable: [], now });
    expect(on36.action).toBe('recover');
    if (on36.action !== 'recover') return;
    expect(on36.strategy).toBe('rejoin');
    expect(on36.strategy_reason).toBe(
      'the default: v2 is gone in etcd 3.6 (etcd1 runs 3.6.6, which has no v2 store: no v2 keys to keep, although v2 enabled in its configuration: ETCD_ENABLE_V2=true in the env file or --enable-v2 in the manifest); restore the survivor, then rejoin the others one at a time',
    );
  });

  it('a snapshot strategy is refused for v2 on 3.5, allowed on 3.6 with the reason; force-new-cluster on 3.6 keeps v3 only', () => {
    expect(decide({ members: [m(1, '3.5.30')], unreachable: [], now, strategy: 'restore-all' }).action).toBe('refuse');
    const all = decide({ members: [m(1, '3.6.0')], unreachable: [], now, strategy: 'restore-all', v2Data: true });
    expect(all.action === 'recover' && all.strategy_reason).toBe(
      'asked for (etcd_dr_strategy); v2 is gone in etcd 3.6 (etcd1 runs 3.6.0, which has no v2 store: no v2 keys to keep, although etcd_v2_data is set)',
    );
    const fnc = decide({ members: [m(1, '3.6.0')], unreachable: [], now, strategy: 'force-new-cluster' });
    expect(fnc.action === 'recover' && fnc.strategy_reason).toMatch(
      /v2 is gone in etcd 3\.6 .*: it keeps the v3 keys only, as a snapshot restore does$/,
    );
  });

  it("the survivor's version decides: a 3.5 survivor beside a 3.6 member keeps v2", () => {
    const d = decide({
      members: [
        m(1, '3.6.0', { data: { exists: true, db: true, revision: 10 } }),
        m(2, '3.5.30', { data: { exists: true, db: true, revision: 90 } }),
      ],
      unreachable: [],
      now,
    });
    // etcd2 (3.5, newest) is the survivor: its v2 keys are kept (etcd1 joining on 3.6 is an upgrade)
    expect(d.action === 'recover' && [d.survivor, d.strategy]).toEqual(['etcd2', 'force-new-cluster']);
  });
});
