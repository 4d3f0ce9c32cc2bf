import { describe, expect, it } from 'vitest';
import { inventoryGraph, inventoryHost, inventoryList } from '../../../src/inventory/index.js';
import { load } from './fixtures.js';

describe('inventoryList (ansible-inventory --list)', () => {
  it('lists groups with sorted hosts and children; empty ones only as children', async () => {
    const inv = await load('patterns.yml');
    const list = inventoryList(inv);
    expect(list).toEqual({
      _meta: { hostvars: {} },
      all: { children: ['db', 'etcd', 'prod', 'ungrouped', 'web'] },
      db: { hosts: ['db1', 'etcd3'] },
      etcd: { hosts: ['etcd1', 'etcd2', 'etcd3'] },
      prod: { children: ['etcd', 'web'] },
      web: { hosts: ['web1.example.com', 'web2.example.com'] },
    });
    expect(Object.keys(list)).toEqual(['_meta', 'all', 'db', 'etcd', 'prod', 'web']); // sort_keys
  });

  it('puts merged vars in _meta.hostvars; with export, own vars on groups and hosts', async () => {
    const inv = await load('precedence');
    const list = inventoryList(inv) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
    expect(list._meta.hostvars['h1']!['v_depth']).toBe('child');
    expect(list._meta.hostvars['h1']!['v_all_inv']).toBe('all-inv');
    const exported = inventoryList(inv, { export: true }) as Record<string, { vars?: unknown }> & {
      _meta: { hostvars: Record<string, unknown> };
    };
    expect(exported['child']!.vars).toEqual({ v_depth: 'child', v_allfile_beats_inv: 'child-inv' });
    expect(exported['parent']!.vars).toEqual({ v_depth: 'parent', v_inv_vs_file: 'parent-file', v_host: 'parent' });
    expect(exported._meta.hostvars['h1']).toEqual({ v_host: 'host-inline', v_inline_vs_file: 'host_vars' });
    expect(exported._meta.hostvars['h2']).toBeUndefined();
  });
});

describe('inventoryGraph (ansible-inventory --graph)', () => {
  it('draws the tree, children then hosts, sorted', async () => {
    const inv = await load('patterns.yml');
    expect(inventoryGraph(inv, 'prod')).toBe(
      [
        '@prod:',
        '  |--@etcd:',
        '  |  |--etcd1',
        '  |  |--etcd2',
        '  |  |--etcd3',
        '  |--@web:',
        '  |  |--web1.example.com',
        '  |  |--web2.example.com',
      ].join('\n'),
    );
    expect(inventoryGraph(inv)!.split('\n').slice(0, 4)).toEqual(['@all:', '  |--@db:', '  |  |--db1', '  |  |--etcd3']);
    expect(inventoryGraph(inv)).toContain('\n  |--@ungrouped:\n');
  });

  it('shows vars with --vars and refuses an unknown group', async () => {
    const inv = await load('../../../inventories/example');
    expect(inventoryGraph(inv, 'etcd', { vars: true })!.split('\n').slice(0, 4)).toEqual([
      '@etcd:',
      '  |--etcd1',
      '  |  |--{ansible_host = 10.0.0.11}',
      '  |  |--{etcd_name = etcd1}',
    ]);
    expect(inventoryGraph(inv, 'nosuch')).toBeUndefined();
  });
});

describe('inventoryHost (ansible-inventory --host)', () => {
  it("gives a host's merged vars with sorted keys", async () => {
    const inv = await load('../../../inventories/example');
    const vars = inventoryHost(inv, 'etcd2')!;
    expect(Object.keys(vars)).toEqual([...Object.keys(vars)].sort());
    expect(vars).toMatchObject({ ansible_host: '10.0.0.12', etcd_name: 'etcd2', etcd_env_file: '/etc/default/etcd' });
    expect(inventoryHost(inv, 'nosuch')).toBeUndefined();
    expect(inventoryHost(inv, 'localhost')).toEqual({ ansible_connection: 'local' });
  });
});
