import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupsOf, hostVars, loadInventory, selectHosts } from '../../../src/inventory/index.js';
import { REPO } from './fixtures.js';

describe('inventories/example', () => {
  it('is an etcd cluster of three with the etcd contract vars', async () => {
    const inv = await loadInventory('inventories/example', { cwd: REPO });
    expect(selectHosts(inv, 'etcd')).toEqual(['etcd1', 'etcd2', 'etcd3']);
    expect(groupsOf(inv, 'etcd3')).toEqual(['etcd']);
    const vars = hostVars(inv, 'etcd3');
    expect(vars).toEqual({
      ansible_host: '10.0.0.13',
      etcd_name: 'etcd3',
      etcd_client_url: 'https://{{ ansible_host }}:2379',
      etcd_peer_url: 'https://{{ ansible_host }}:2380',
      etcd_data_dir: '/var/lib/etcd',
      etcd_env_file: '/etc/default/etcd',
      etcd_service_manager: 'systemd',
      etcd_backup_dir: '/var/backups/etcd',
    });
  });

  it('inventories/example-kubeadm: static-pod etcd, the rest read from the manifests', async () => {
    const inv = await loadInventory('inventories/example-kubeadm', { cwd: REPO });
    expect(selectHosts(inv, 'etcd')).toEqual(['cp1', 'cp2', 'cp3']);
    expect(hostVars(inv, 'cp2')).toEqual({
      ansible_host: '10.0.0.12',
      etcd_service_manager: 'static-pod',
      etcd_static_pod_manifest: '/etc/kubernetes/manifests/etcd.yaml',
      etcd_backup_dir: '/var/backups/etcd',
      etcd_kubernetes: true,
    });
  });

  it('names its schema for editors', () => {
    expect(readFileSync(REPO + 'inventories/example/hosts.yml', 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schemas/inventory.json',
    );
  });
});
