// The pure parts of the effective-data-dir reader (modules/etcd/data-dir.ts).
import { describe, expect, it } from 'vitest';
import { configFlags, dataDirMismatch, envValue, flagValue, isSelfOrParent, parseSources } from '../../../src/modules/etcd/data-dir.js';

describe('effective data dir', () => {
  it('reads ETCD_DATA_DIR as sh and systemd do: export, quotes, comments, last one wins', () => {
    expect(envValue('ETCD_DATA_DIR=/a\n', 'ETCD_DATA_DIR')).toBe('/a');
    expect(envValue('export ETCD_DATA_DIR="/var/lib/etcd/default"\n', 'ETCD_DATA_DIR')).toBe('/var/lib/etcd/default');
    expect(envValue("ETCD_DATA_DIR='/b c'\n", 'ETCD_DATA_DIR')).toBe('/b c');
    expect(envValue('ETCD_DATA_DIR=/a # old\nETCD_DATA_DIR=/b\n#ETCD_DATA_DIR=/c\n', 'ETCD_DATA_DIR')).toBe('/b');
    expect(envValue('ETCD_NAME=x\n', 'ETCD_DATA_DIR')).toBeUndefined();
  });

  it('reads --data-dir in both spellings', () => {
    expect(flagValue(['/usr/bin/etcd', '--data-dir', '/x'], '--data-dir')).toBe('/x');
    expect(flagValue(['etcd', '--data-dir=/y', '--name', 'n'], '--data-dir')).toBe('/y');
    expect(flagValue(['etcd', '-data-dir=/z'], '--data-dir')).toBe('/z');
    expect(flagValue(['etcd'], '--data-dir')).toBeUndefined();
  });

  it('names both paths when a source disagrees; trailing slashes do not count', () => {
    const src = [{ kind: 'env-file' as const, where: 'ETCD_DATA_DIR in /etc/default/etcd', dir: '/var/lib/etcd/default' }];
    expect(dataDirMismatch('/var/lib/etcd', src)).toMatch(
      /etcd_data_dir is \/var\/lib\/etcd but etcd reads \/var\/lib\/etcd\/default \(ETCD_DATA_DIR in \/etc\/default\/etcd\)/,
    );
    expect(dataDirMismatch('/var/lib/etcd/default/', src)).toBeUndefined();
    expect(dataDirMismatch('/anything', [])).toBeUndefined();
  });

  it('parents', () => {
    expect(isSelfOrParent('/var/lib', '/var/lib/etcd')).toBe(true);
    expect(isSelfOrParent('/var/lib/etcd', '/var/lib/etcd2')).toBe(false);
    expect(isSelfOrParent('/', '/x')).toBe(true);
  });

  it('reads the env file, the unit and the one etcd process that is this member (name and client URL)', () => {
    const out = [
      '@@env',
      'ETCD_DATA_DIR=/var/lib/etcd/default',
      '@@unit',
      '[Service]',
      'ExecStart=/usr/bin/etcd --name m1 --data-dir=/srv/etcd',
      '@@proc 10',
      '/usr/bin/etcd',
      '@@environ',
      'ETCD_NAME=m1',
      'ETCD_LISTEN_CLIENT_URLS=http://10.0.0.2:2379',
      'ETCD_DATA_DIR=/other',
      '@@cwd /',
      '@@proc 11',
      '/usr/bin/etcd',
      '--name',
      'm2',
      '@@environ',
      'ETCD_DATA_DIR=/m2',
      '@@cwd /',
      '@@proc 12',
      '/usr/bin/etcd',
      '@@environ',
      'ETCD_NAME=m1',
      'ETCD_LISTEN_CLIENT_URLS=http://0.0.0.0:2379',
      '@@cwd /var/lib/etcd',
      '',
    ].join('\n');
    const got = parseSources(out, {
      dataDir: '/x',
      envFile: '/etc/default/etcd',
      service: 'etcd',
      name: 'm1',
      clientUrl: 'http://10.0.0.1:2379',
    });
    expect(got.map((s) => [s.kind, s.dir])).toEqual([
      ['env-file', '/var/lib/etcd/default'],
      ['unit', '/srv/etcd'],
      ['process', '/var/lib/etcd/m1.etcd'], // etcd's default: <name>.etcd in its working dir
    ]);
  });

  it('without a client URL, the member listens where its env file says: another etcd of the same name elsewhere is not it', () => {
    const out = [
      '@@env',
      'ETCD_NAME=etcd1',
      'ETCD_LISTEN_CLIENT_URLS=http://127.0.141.1:2379',
      'ETCD_DATA_DIR=/lab141/etcd1/data',
      '@@proc 20',
      '/usr/bin/etcd',
      '@@environ',
      'ETCD_NAME=etcd1',
      'ETCD_LISTEN_CLIENT_URLS=http://127.0.170.1:2379',
      'ETCD_DATA_DIR=/lab170/etcd1/data',
      '@@cwd /',
      '',
    ].join('\n');
    const input = { dataDir: '/lab141/etcd1/data', envFile: '/lab141/etcd1/etcd.env', name: 'etcd1' };
    expect(parseSources(out, input).map((s) => s.kind)).toEqual(['env-file']);
    // the same process, listening where the env file says, is this member's
    expect(parseSources(out.replace('127.0.170.1', '127.0.141.1'), input).map((s) => [s.kind, s.dir])).toEqual([
      ['env-file', '/lab141/etcd1/data'],
      ['process', '/lab170/etcd1/data'],
    ]);
  });

  it("reads a static pod's --data-dir through its hostPath volume (the live manifest or the stopped copy)", () => {
    const pod =
      'kind: Pod\nspec:\n  containers:\n  - name: etcd\n    command: [etcd, --name=cp1, --data-dir=/data]\n    volumeMounts: [{name: d, mountPath: /data}]\n  volumes: [{name: d, hostPath: {path: /var/lib/etcd}}]\n';
    const got = parseSources(`@@pod /etc/kubernetes/manifests.stopped-by-runbook/etcd.yaml\n${pod}\n`, {
      dataDir: '/x',
      manifest: '/etc/kubernetes/manifests/etcd.yaml',
      name: 'cp1',
    });
    expect(got).toEqual([
      { kind: 'static-pod', where: '--data-dir in /etc/kubernetes/manifests.stopped-by-runbook/etcd.yaml', dir: '/var/lib/etcd' },
    ]);
    expect(dataDirMismatch('/var/lib/etcd/default', got)).toMatch(/etcd reads \/var\/lib\/etcd \(--data-dir in /);
    expect(parseSources('@@pod /m/etcd.yaml\nkind: Pod\n', { dataDir: '/x', manifest: '/m/etcd.yaml' })).toEqual([]);
  });

  it('the flags come from the same read: the env file, else the static pod manifest (v2, corruption checks)', () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: etcd\n      command: [etcd, --enable-v2, --name=m1]\n';
    const env = '@@env\nETCD_ENABLE_V2=false\nETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK=true\n';
    expect(configFlags(`${env}@@pod /m.yaml\n${manifest}`, { dataDir: '/x', envFile: '/e', manifest: '/m.yaml' })).toMatchObject({
      v2_enabled: false,
      initial_corrupt_check: true,
    });
    expect(configFlags(`@@pod /m.yaml\n${manifest}`, { dataDir: '/x', manifest: '/m.yaml' })).toMatchObject({
      v2_enabled: true,
      initial_corrupt_check: false,
    });
    expect(configFlags('@@pod /m.yaml\n: not yaml: [\n', { dataDir: '/x', manifest: '/m.yaml' })).toBeUndefined();
    expect(configFlags('', { dataDir: '/x', envFile: '/e' })).toBeUndefined();
  });
});
