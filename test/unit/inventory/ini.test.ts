import { describe, expect, it } from 'vitest';
import { groupsOf, hostVars } from '../../../src/inventory/index.js';
import { load, loadErrors } from './fixtures.js';

describe('INI inventory', () => {
  it('reads hosts before any section as ungrouped, and ranges and ports in sections', async () => {
    const inv = await load('ini/hosts.ini');
    expect([...inv.hosts.keys()]).toEqual(['lonely.example.com', 'etcd1', 'etcd2', 'etcd3', 'etcd4', 'db1']);
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['lonely.example.com']);
    expect(inv.groups.get('etcd')!.hosts).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd4']);
    expect(inv.hosts.get('etcd2')!.vars['ansible_port']).toBe(2222);
  });

  it('reads inline host vars through literal_eval after shell-style unquoting', async () => {
    const inv = await load('ini/hosts.ini');
    expect(inv.hosts.get('etcd1')!.vars).toEqual({
      ansible_host: '10.0.0.11',
      port: 22, // a Python int
      flag: true, // True is a Python literal
      name: 'two words', // quotes group words; not a literal, so the text
      quoted: '42', // "'42'" → '42' → the string 42
      plain: 'true', // lower-case true is no Python literal
    });
    expect(inv.hosts.get('etcd2')!.vars).toEqual({ ansible_port: 2222, ansible_host: '10.0.0.12', list: [1, 2], pw: 'ab#cd', cut: 'ab' });
    expect(inv.hosts.get('etcd4')!.vars).toEqual({ ansible_host: '10.0.0.13' });
  });

  it('reads [group:vars] values the way ansible-core does (literal_eval, one per line)', async () => {
    const inv = await load('ini/hosts.ini');
    expect(inv.groups.get('etcd')!.vars).toEqual({
      etcd_data_dir: '/var/lib/etcd',
      etcd_port: 2379,
      etcd_debug: false,
      etcd_flag: 'yes',
      etcd_name_prefix: 'member # comment',
    });
    expect(hostVars(inv, 'db1')).toEqual({ ansible_user: 'admin' });
  });

  it('links [group:children], including groups declared later in the file', async () => {
    const inv = await load('ini/hosts.ini');
    expect(inv.groups.get('cluster')!.children).toEqual(['etcd', 'db']);
    expect(groupsOf(inv, 'db1')).toEqual(['cluster', 'db']);
    // etcd has a parent now, so only cluster hangs under all
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'cluster']);
  });

  it('refuses a child group that is never declared, at the line naming it', async () => {
    expect(await loadErrors('bad/undefined-child.ini')).toEqual([
      "bad/undefined-child.ini:6:1: [cluster:children] names group 'missing', which is never declared: add a [missing] section",
    ]);
  });

  it('refuses a host-line word without =, at that word', async () => {
    expect(await loadErrors('bad/bad-host-var.ini')).toEqual([
      "bad/bad-host-var.ini:2:30: expected key=value after the host name, got 'oops'",
    ]);
  });

  it('refuses a loop of child groups', async () => {
    expect(await loadErrors('bad/loop.ini')).toEqual([
      "bad/loop.ini:5:1: group 'a' cannot be a child of 'b': 'b' is already below 'a' (a loop)",
    ]);
  });
});
