import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  flagsOf,
  hostPathOf,
  ManifestError,
  manifestMember,
  parseManifest,
  setManifestFlags,
} from '../../../src/core/static-pod-manifest.js';

const KUBEADM = readFileSync(new URL('../../fixtures/static-pod/kubeadm-etcd.yaml', import.meta.url), 'utf8');

describe('static-pod manifest', () => {
  it('reads the member from a kubeadm manifest, paths through its hostPath volumes', () => {
    const m = parseManifest(KUBEADM);
    expect(m.container).toBe('etcd');
    expect(m.argv[0]).toBe('etcd');
    expect(manifestMember(m)).toEqual({
      name: 'cp1',
      data_dir: '/var/lib/etcd',
      client_url: 'https://10.0.0.11:2379',
      peer_url: 'https://10.0.0.11:2380',
      initial_cluster: 'cp1=https://10.0.0.11:2380,cp2=https://10.0.0.12:2380,cp3=https://10.0.0.13:2380',
      initial_cluster_state: 'existing',
      cert: '/etc/kubernetes/pki/etcd/server.crt',
      key: '/etc/kubernetes/pki/etcd/server.key',
      cacert: '/etc/kubernetes/pki/etcd/ca.crt',
      peer_cert: '/etc/kubernetes/pki/etcd/peer.crt',
      peer_key: '/etc/kubernetes/pki/etcd/peer.key',
      peer_cacert: '/etc/kubernetes/pki/etcd/ca.crt',
    });
  });

  it('maps a container path to the host through the deepest mount', () => {
    const text = KUBEADM.replace('mountPath: /var/lib/etcd', 'mountPath: /data').replace(
      '--data-dir=/var/lib/etcd',
      '--data-dir=/data/member-a',
    );
    const m = parseManifest(text);
    expect(manifestMember(m).data_dir).toBe('/var/lib/etcd/member-a');
    expect(hostPathOf(m, '/tmp/x')).toBeUndefined();
  });

  it('reads --flag value pairs and args after command', () => {
    expect(flagsOf(['etcd', '--name', 'a', '--data-dir=/d', '--enable-v2', '--x', 'y'])).toEqual({
      name: 'a',
      'data-dir': '/d',
      'enable-v2': 'true',
      x: 'y',
    });
    const text =
      'kind: Pod\nspec:\n  containers:\n  - name: etcd\n    command: [/usr/bin/etcd]\n    args: ["--name", "n1", "--data-dir=/srv/etcd"]\n';
    expect(parseManifest(text).flags).toMatchObject({ name: 'n1', 'data-dir': '/srv/etcd' });
  });

  it('refuses what is not an etcd pod, saying why', () => {
    expect(() => parseManifest('kind: Deployment\nspec: {}\n')).toThrow(/kind is Deployment, not Pod/);
    expect(() => parseManifest('kind: Pod\nspec:\n  containers: []\n')).toThrow(/no spec.containers/);
    expect(() => parseManifest('a: [')).toThrow(ManifestError);
    expect(() => parseManifest('kind: Pod\nspec:\n  containers:\n  - name: a\n    command: [x]\n  - name: b\n    command: [y]\n')).toThrow(
      /no container named etcd/,
    );
  });

  it('sets and removes flags, keeping every other line as it was', () => {
    const out = setManifestFlags(KUBEADM, {
      'initial-cluster': 'cp2=https://10.0.0.12:2380',
      'initial-cluster-state': 'new',
      'initial-cluster-token': 'etcd-recovery-1',
      'snapshot-count': null,
    });
    const m = parseManifest(out);
    expect(m.flags).toMatchObject({
      'initial-cluster': 'cp2=https://10.0.0.12:2380',
      'initial-cluster-state': 'new',
      'initial-cluster-token': 'etcd-recovery-1',
    });
    expect(m.flags['snapshot-count']).toBeUndefined();
    const before = KUBEADM.split('\n').filter((l) => !/initial-cluster|snapshot-count/.test(l));
    const after = out.split('\n').filter((l) => !/initial-cluster|snapshot-count/.test(l));
    expect(after).toEqual(before);
    // the new flag follows the last flag of the command
    expect(m.argv[m.argv.length - 1]).toBe('--initial-cluster-token=etcd-recovery-1');
    // a second write changes nothing
    expect(setManifestFlags(out, { 'initial-cluster-state': 'new', 'snapshot-count': null })).toBe(out);
  });

  it('rewrites a split --flag value pair into one word', () => {
    const text =
      'kind: Pod\nspec:\n  containers:\n  - name: etcd\n    command:\n    - etcd\n    - --initial-cluster-state\n    - existing\n    - --name=a\n';
    const out = setManifestFlags(text, { 'initial-cluster-state': 'new' });
    expect(parseManifest(out).argv).toEqual(['etcd', '--initial-cluster-state=new', '--name=a']);
    expect(() => setManifestFlags(text, { name: 'a\nb' })).toThrow(/newline/);
  });
});
