import { describe, expect, it } from 'vitest';
import { groupsOf, groupsMap, hostVars } from '../../../src/inventory/index.js';
import { FIXTURES, load } from './fixtures.js';

describe('YAML inventory', () => {
  it('reads hosts in order of first appearance, expanding ranges', async () => {
    const inv = await load('yaml/hosts.yml');
    expect([...inv.hosts.keys()]).toEqual([
      'bastion.example.com',
      'etcd1.example.com',
      'etcd2.example.com',
      'etcd3.example.com',
      'db-a',
      'db-b',
      'db-c',
      'web01',
      'web02',
      'web03',
      'web1-us',
      'web3-us',
      'web5-us',
      'grafana',
    ]);
    expect(inv.sources).toEqual([FIXTURES + 'yaml/hosts.yml']);
  });

  it('builds nested groups; top-level groups and parentless ones hang under all', async () => {
    const inv = await load('yaml/hosts.yml');
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'etcd', 'db', 'web', 'monitoring']);
    expect(inv.groups.get('web')!.children).toEqual(['web_eu', 'web_us']);
    expect(inv.groups.get('web_eu')!.hosts).toEqual(['web01', 'web02', 'web03']);
    expect(inv.groups.get('monitoring')!.hosts).toEqual(['grafana']);
  });

  it('puts hosts listed directly under all into ungrouped', async () => {
    const inv = await load('yaml/hosts.yml');
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['bastion.example.com']);
    expect(groupsOf(inv, 'bastion.example.com')).toEqual(['ungrouped']);
  });

  it('merges the vars of a host that appears in several groups', async () => {
    const inv = await load('yaml/hosts.yml');
    expect(inv.hosts.get('etcd1.example.com')!.vars).toEqual({ etcd_role: 'member', db_replica: true });
    expect(groupsOf(inv, 'etcd1.example.com')).toEqual(['db', 'etcd']);
    expect(groupsMap(inv)['db']).toEqual(['db-a', 'db-b', 'db-c', 'etcd1.example.com']); // as ansible-inventory --list: the group's own order
  });

  it('turns a host:port key into ansible_port', async () => {
    const inv = await load('yaml/hosts.yml');
    expect(inv.hosts.get('bastion.example.com')!.vars).toEqual({ ansible_port: 2222, ansible_user: 'jump' });
  });

  it('reads YAML 1.1 as Ansible does: yes is a boolean', async () => {
    const inv = await load('yaml/hosts.yml');
    expect(hostVars(inv, 'web01')['become_flag']).toBe(true);
    expect(hostVars(inv, 'etcd2.example.com')).toEqual({ ntp_server: 'ntp.example.com', etcd_port: 2379, etcd_role: 'member' });
  });

  it('gives group_names sorted with ancestors and groups with every descendant host', async () => {
    const inv = await load('yaml/hosts.yml');
    expect(groupsOf(inv, 'web3-us')).toEqual(['web', 'web_us']);
    const groups = groupsMap(inv);
    expect(groups['web']).toEqual(['web01', 'web02', 'web03', 'web1-us', 'web3-us', 'web5-us']);
    expect(groups['all']).toHaveLength(14);
    expect(groups['ungrouped']).toEqual(['bastion.example.com']);
  });
});
