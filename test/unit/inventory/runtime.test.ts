import { describe, expect, it } from 'vitest';
import { addHost, addToGroup, emptyInventory, groupsMap, groupsOf, hostVars, selectHosts } from '../../../src/inventory/index.js';
import { load } from './fixtures.js';

describe('add_host and group_by', () => {
  it('add_host creates the host, its groups under all, and keeps inventory order', async () => {
    const inv = await load('patterns.yml');
    addHost(inv, 'new1:2222', ['restored', 'etcd'], { etcd_name: 'new1' });
    expect([...inv.hosts.keys()].at(-1)).toBe('new1');
    expect(inv.hosts.get('new1')!.vars).toEqual({ ansible_port: 2222, etcd_name: 'new1' });
    expect(groupsOf(inv, 'new1')).toEqual(['etcd', 'prod', 'restored']);
    expect(inv.groups.get('all')!.children).toContain('restored');
    expect(selectHosts(inv, 'etcd')).toEqual(['etcd1', 'etcd2', 'etcd3', 'new1']);
  });

  it('add_host without groups lands in ungrouped, and updates an existing host', () => {
    const inv = emptyInventory();
    addHost(inv, 'solo', [], { a: 1 });
    expect(groupsMap(inv)['ungrouped']).toEqual(['solo']);
    addHost(inv, 'solo', ['g'], { b: 2 });
    expect(hostVars(inv, 'solo')).toEqual({ a: 1, b: 2 });
    expect(groupsMap(inv)['ungrouped']).toEqual([]); // now in a real group
  });

  it('group_by puts the host in a (new) group', async () => {
    const inv = await load('patterns.yml');
    addToGroup(inv, 'db1', 'os_debian');
    addToGroup(inv, 'etcd2', 'os_debian');
    expect(selectHosts(inv, 'os_debian')).toEqual(['db1', 'etcd2']); // in the order added, as Ansible's group_by
    expect(groupsOf(inv, 'db1')).toEqual(['db', 'os_debian']);
  });
});
