import { describe, expect, it } from 'vitest';
import { hostVars } from '../../../src/inventory/index.js';
import { FIXTURES, load } from './fixtures.js';

describe('directory inventory', () => {
  it('reads every inventory file in it, recursively, and skips ignored ones', async () => {
    const inv = await load('dir');
    // extra (INI, no extension), hosts.yml, sub/more.yaml; not README.md, old.retry, .hidden
    expect([...inv.hosts.keys()]).toEqual(['backup1', 'etcd1', 'etcd2', 'subhost']);
    expect(inv.groups.has('ignored')).toBe(false);
    expect(inv.groups.has('hidden')).toBe(false);
  });

  it('skips an .ini file in it, as ansible-playbook (inventory_ignore_extensions), and says so', async () => {
    const inv = await load('dir');
    expect(inv.hosts.has('inihost')).toBe(false);
    expect(inv.warnings?.map((w) => w.message)).toContainEqual(expect.stringContaining('ignores .ini files in an inventory directory'));
    expect([...(await load('dir/legacy.ini')).hosts.keys()]).toEqual(['inihost']); // given itself, it is read
  });

  it("records the file each host was first met in (Ansible's inventory_file)", async () => {
    const inv = await load('dir');
    expect(inv.hosts.get('etcd1')!.source).toBe(`${FIXTURES}dir/hosts.yml`);
    expect(inv.hosts.get('subhost')!.source).toBe(`${FIXTURES}dir/sub/more.yaml`);
    expect(inv.hosts.get('backup1')!.source).toBe(`${FIXTURES}dir/extra`);
    expect((await load('h1,h2,')).hosts.get('h2')!.source).toBe('h1,h2,');
  });

  it('applies group_vars/ files, the <group>/ directory form in name order', async () => {
    const inv = await load('dir');
    const etcd2 = hostVars(inv, 'etcd2');
    expect(etcd2['etcd_data_dir']).toBe('/var/lib/etcd');
    expect(etcd2['site']).toBe('etcd-override'); // 20-override.yaml after 10-base.yml; notes.txt skipped
    expect(etcd2['everyone']).toBe(true); // group_vars/all.yml, YAML 1.1 yes
    expect(hostVars(inv, 'backup1')).toEqual({ everyone: true, site: 'all-file', backup_dir: '/srv/backup' }); // extensionless file
  });

  it('applies host_vars/ over inline host vars', async () => {
    const inv = await load('dir');
    expect(inv.hosts.get('etcd1')!.vars).toEqual({ from_inline: 'inline', overridden_by_host_vars: 'host_vars' });
  });

  it('lists every file read as a source, for hashing', async () => {
    const inv = await load('dir');
    const rel = inv.sources.map((s) => s.slice(FIXTURES.length)).sort();
    expect(rel).toEqual([
      'dir/extra',
      'dir/group_vars/all.yml',
      'dir/group_vars/backup',
      'dir/group_vars/etcd/10-base.yml',
      'dir/group_vars/etcd/20-override.yaml',
      'dir/host_vars/etcd1.yml',
      'dir/hosts.yml',
      'dir/sub/more.yaml',
    ]);
  });

  it('reads group_vars/ beside a single inventory file too', async () => {
    const inv = await load('dir/hosts.yml');
    expect([...inv.hosts.keys()]).toEqual(['etcd1', 'etcd2']);
    expect(hostVars(inv, 'etcd1')['site']).toBe('etcd-override');
    expect(hostVars(inv, 'etcd1')['overridden_by_host_vars']).toBe('host_vars');
  });

  it('reads several sources in order', async () => {
    const inv = await load(['ini/hosts.ini', 'patterns.yml']);
    expect(inv.hosts.has('lonely.example.com') && inv.hosts.has('web1.example.com')).toBe(true);
    const joined = await load('ini/hosts.ini,patterns.yml'); // what `-i a -i b` joined with commas gives
    expect([...joined.hosts.keys()]).toEqual([...inv.hosts.keys()]);
  });

  it("treats 'a,b,' as a list of hosts in ungrouped, with ports", async () => {
    const inv = await load('web1,db1:2201,');
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['web1', 'db1']);
    expect(inv.hosts.get('db1')!.vars).toEqual({ ansible_port: 2201 });
    expect(inv.sources).toEqual([]);
  });
});
