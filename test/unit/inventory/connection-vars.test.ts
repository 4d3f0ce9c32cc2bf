import { describe, expect, it } from 'vitest';
import {
  ConnectionVarsError,
  connectionSettings,
  getHostOrImplicit,
  emptyInventory,
  isImplicitHost,
} from '../../../src/inventory/index.js';
import { load } from './fixtures.js';

describe('connectionSettings', () => {
  it('defaults to ssh to the inventory name', () => {
    expect(connectionSettings({}, 'etcd1')).toEqual({ host: 'etcd1', kind: 'ssh', address: 'etcd1', ignored: [] });
  });

  it('reads the Ansible names', () => {
    const s = connectionSettings(
      {
        ansible_host: '10.0.0.11',
        ansible_user: 'admin',
        ansible_port: '2222',
        ansible_ssh_private_key_file: '~/.ssh/id_etcd',
        ansible_become: 'yes',
        ansible_become_user: 'etcd',
        ansible_become_pass: 's3cret',
      },
      'etcd1',
    );
    expect(s).toEqual({
      host: 'etcd1',
      kind: 'ssh',
      address: '10.0.0.11',
      user: 'admin',
      port: 2222,
      privateKeyFile: '~/.ssh/id_etcd',
      become: true,
      becomeUser: 'etcd',
      becomePassword: 's3cret',
      ignored: [],
    });
  });

  it('reads the older Ansible aliases', () => {
    const s = connectionSettings(
      { ansible_ssh_host: 'h', ansible_ssh_user: 'u', ansible_ssh_port: 22, ansible_private_key_file: 'k' },
      'x',
    );
    expect(s).toMatchObject({ address: 'h', user: 'u', port: 22, privateKeyFile: 'k' });
  });

  it('lets our names win over the Ansible aliases', () => {
    const s = connectionSettings(
      {
        ssh_host: 'ours',
        ansible_host: 'theirs',
        ssh_user: 'ours',
        ansible_user: 'theirs',
        ssh_port: 2200,
        ansible_port: 22,
        ssh_private_key_file: 'ours',
        ansible_ssh_private_key_file: 'theirs',
        connection: 'local',
        ansible_connection: 'ssh',
        become_password: 'ours',
        ansible_become_password: 'theirs',
        ssh_known_hosts_file: '/etc/runbook/known_hosts',
      },
      'x',
    );
    expect(s).toMatchObject({
      address: 'ours',
      user: 'ours',
      port: 2200,
      privateKeyFile: 'ours',
      kind: 'local',
      becomePassword: 'ours',
      knownHostsFile: '/etc/runbook/known_hosts',
    });
  });

  it("maps Ansible's ssh-like connections to ssh and refuses others", () => {
    expect(connectionSettings({ ansible_connection: 'paramiko' }, 'x').kind).toBe('ssh');
    expect(connectionSettings({ ansible_connection: 'smart' }, 'x').kind).toBe('ssh');
    expect(() => connectionSettings({ ansible_connection: 'winrm' }, 'x')).toThrow(ConnectionVarsError);
    expect(() => connectionSettings({ ansible_connection: 'winrm' }, 'x')).toThrow(
      `host 'x': ansible_connection="winrm" is not a connection runbook has: use 'ssh' or 'local'`,
    );
  });

  it('refuses a port that is not a port and a become that is not a boolean', () => {
    expect(() => connectionSettings({ ansible_port: 'ssh' }, 'x')).toThrow(
      `host 'x': 'ansible_port' must be a port number (1-65535), got "ssh"`,
    );
    expect(() => connectionSettings({ ansible_port: 70000 }, 'x')).toThrow(ConnectionVarsError);
    expect(() => connectionSettings({ ansible_become: 'maybe' }, 'x')).toThrow(/must be a boolean/);
    expect(connectionSettings({ ansible_become: false }, 'x').become).toBe(false);
  });

  it('lists the variables it does not honour', () => {
    const s = connectionSettings({ ansible_ssh_pass: 'pw', ansible_ssh_common_args: '-o ProxyJump=b', ansible_become_method: 'su' }, 'x');
    expect(s.ignored.map((i) => i.name)).toEqual(['ansible_ssh_pass', 'ansible_ssh_common_args', 'ansible_become_method']);
    expect(connectionSettings({ ansible_become_method: 'sudo' }, 'x').ignored).toEqual([]);
  });

  it('connects locally to a localhost name with no connection set', () => {
    expect(connectionSettings({}, 'localhost').kind).toBe('local');
    expect(connectionSettings({}, '127.0.0.1').kind).toBe('local');
    expect(connectionSettings({ ansible_connection: 'ssh' }, 'localhost').kind).toBe('ssh');
  });
});

describe('implicit localhost', () => {
  it('exists when the inventory lacks localhost', () => {
    const inv = emptyInventory();
    expect(getHostOrImplicit(inv, 'localhost')).toEqual({ name: 'localhost', vars: { ansible_connection: 'local' } });
    expect(isImplicitHost(inv, 'localhost')).toBe(true);
    expect(getHostOrImplicit(inv, 'etcd1')).toBeUndefined();
  });

  it('gives way to an inventory that defines localhost', async () => {
    const inv = await load('localhost,');
    expect(getHostOrImplicit(inv, 'localhost')).toBe(inv.hosts.get('localhost'));
    expect(isImplicitHost(inv, 'localhost')).toBe(false);
  });
});

describe('becomeSettings: the one derivation of become for connections and tasks', () => {
  it('reads become_password first, renders through the task scope, and parses the boolean as Ansible does', async () => {
    const { becomeSettings } = await import('../../../src/inventory/connection-vars.js');
    expect(becomeSettings({ ansible_become: 'y', become_password: 'a', ansible_become_password: 'b' }, 'h')).toEqual({
      become: true,
      becomePassword: 'a',
    });
    expect(becomeSettings({ ansible_become_pass: 'c', ansible_become_user: 'etcd' }, 'h')).toEqual({
      becomeUser: 'etcd',
      becomePassword: 'c',
    });
    const render = (v: unknown): unknown => (v === '{{ pw }}' ? 'secret' : v === '{{ on }}' ? 'yes' : v);
    expect(becomeSettings({ ansible_become: '{{ on }}', become_password: '{{ pw }}' }, 'h', render)).toEqual({
      become: true,
      becomePassword: 'secret',
    });
    expect(() => becomeSettings({ ansible_become: 'maybe' }, 'h')).toThrow(/must be a boolean/);
  });
});
